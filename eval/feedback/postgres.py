"""The feedback database on a shared PostgreSQL server, for replicas: every replica writes to the same
tables, each write a plain transaction on a connection of its own (feedback is rare next to questions,
so a pool would buy nothing). psycopg is imported on first use: a server on SQLite never loads it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

from eval.feedback.records import FeedbackStoreError

SCHEMES = ("postgresql", "postgres")
# How long to wait for the server to answer before telling the caller it cannot be reached.
CONNECT_TIMEOUT_S = 10


class PostgresDatabase:
    id_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    # Two replicas creating the tables at once would collide in PostgreSQL's catalogue even with
    # IF NOT EXISTS; a transaction-scoped advisory lock lets one go first.
    schema_lock = "SELECT pg_advisory_xact_lock(hashtext('reportqa.feedback.schema'))"

    def __init__(self, url: str):
        self.url = url

    def __str__(self) -> str:
        parts = urlsplit(self.url)  # never the password
        return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"

    @contextmanager
    def transaction(self, write: bool) -> Iterator:
        """`run(sql, params) -> rows` inside one transaction, committed when the block ends without error."""
        try:
            import psycopg
        except ImportError:
            raise FeedbackStoreError(
                '未安装 PostgreSQL 驱动 / the PostgreSQL driver is not installed: pip install "psycopg[binary]"'
            ) from None
        try:
            # The connection block commits on success, rolls back on an error, and closes either way.
            with psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S) as connection:

                def run(sql: str, params: Sequence = ()) -> list[tuple]:
                    cursor = connection.execute(sql.replace("?", "%s"), tuple(params))
                    return cursor.fetchall() if cursor.description else []

                yield run
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise FeedbackStoreError(f"反馈数据库无法使用 / the feedback database {self} cannot be used: {reason}") from None

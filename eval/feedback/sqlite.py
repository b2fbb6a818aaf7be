"""The feedback database as one SQLite file beside the index: the default, for a single server.

Safe under concurrent writers (threads of one server, or several processes on one machine): every call
opens its own connection, the file is in WAL mode so readers never block the writer, writes take the
write lock up front (BEGIN IMMEDIATE) and wait for it, and for the switch to WAL, up to BUSY_TIMEOUT_S instead
of failing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from eval.feedback.records import FeedbackStoreError

FILE_NAME = "feedback.sqlite3"
# How long a write waits for another writer's lock. A write takes milliseconds; waiting long is
# cheaper than losing a citizen's 👎 on a busy server.
BUSY_TIMEOUT_S = 30.0


class SqliteDatabase:
    # AUTOINCREMENT: an id is never given out twice, even after the newest row is deleted by hand.
    id_column = "INTEGER PRIMARY KEY AUTOINCREMENT"
    schema_lock = None  # BEGIN IMMEDIATE already serialises creating the schema

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE_NAME

    def __str__(self) -> str:
        return str(self.path)

    @contextmanager
    def transaction(self, write: bool) -> Iterator:
        """`run(sql, params) -> rows` inside one transaction, committed when the block ends without error."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as connection:
                if write:
                    _use_wal(connection)
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")

                def run(sql: str, params: Sequence = ()) -> list[tuple]:
                    return connection.execute(sql, tuple(params)).fetchall()

                try:
                    yield run
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            raise FeedbackStoreError(f"反馈数据库无法使用 / the feedback database {self.path} cannot be used: {error}") from None


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL (kept in the file; a no-op once set), waiting for the lock the switch needs.

    SQLite does not call its busy handler for the exclusive lock of the switch itself: two processes
    opening a fresh file at once got "database is locked" at once (CI, SQLite 3.40), so this waits here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.001
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

"""The feedback store: add a 👍 / 👎, list 👎 for review, save a review, export reviewed items as golden lines.

One set of SQL statements (with `?` placeholders) runs on either database: a SQLite file in the index
folder by default, or a shared PostgreSQL server named by a URL (REPORTQA_FEEDBACK_URL) so that replicas
write to one place. The tables are created on first use.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from eval.feedback.golden_items import checked_review, golden_lines
from eval.feedback.postgres import SCHEMES, PostgresDatabase
from eval.feedback.records import (
    REVIEW_STATUSES,
    Citation,
    Feedback,
    FeedbackCounts,
    FeedbackError,
    FeedbackId,
    Review,
    StoredFeedback,
    checked_feedback,
)
from eval.feedback.sqlite import SqliteDatabase
from rag.settings import DEFAULT_REPORT

Run = Callable[[str, Sequence], list[tuple]]


class Database(Protocol):
    id_column: str  # the column definition of an id the database assigns
    schema_lock: str | None  # a statement that serialises creating the schema, if the transaction does not

    def transaction(self, write: bool) -> AbstractContextManager[Run]: ...


SCHEMA = (
    """CREATE TABLE IF NOT EXISTS feedback (
        id {id_column},
        created_at TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        question TEXT NOT NULL,
        history TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        reason TEXT,
        comment TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS feedback_by_rating_and_time ON feedback (rating, created_at)",
    """CREATE TABLE IF NOT EXISTS feedback_review (
        feedback_id BIGINT PRIMARY KEY REFERENCES feedback (id),
        reviewed_at TEXT NOT NULL,
        answer TEXT NOT NULL,
        must_include TEXT NOT NULL,
        evidence TEXT NOT NULL,
        section TEXT NOT NULL,
        type TEXT NOT NULL,
        year INTEGER)""",
)
COLUMNS = (
    "f.id, f.created_at, f.rating, f.question, f.history, f.answer, f.citations, f.reason, f.comment, "
    "r.reviewed_at, r.answer, r.must_include, r.evidence, r.section, r.type, r.year"
)
FROM = "FROM feedback f LEFT JOIN feedback_review r ON r.feedback_id = f.id"
STATUS_FILTERS = {"unreviewed": " AND r.feedback_id IS NULL", "reviewed": " AND r.feedback_id IS NOT NULL", "all": ""}


def _now() -> str:
    # ISO text with a fixed width and offset: sorts as time on both databases.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _stored(row: tuple) -> StoredFeedback:
    (id_, created, rating, question, history, answer, citations, reason, comment, reviewed, *review) = row
    feedback = Feedback(
        rating=rating,
        question=question,
        answer=answer,
        history=tuple(json.loads(history)),
        citations=tuple(Citation(**c) for c in json.loads(citations)),
        reason=reason,
        comment=comment,
    )
    if reviewed is None:
        return StoredFeedback(FeedbackId(id_), datetime.fromisoformat(created), feedback)
    r_answer, must_include, evidence, section, type_, year = review
    checked = Review(r_answer, tuple(json.loads(must_include)), tuple(json.loads(evidence)), type_, year, section)
    return StoredFeedback(FeedbackId(id_), datetime.fromisoformat(created), feedback, checked, datetime.fromisoformat(reviewed))


class FeedbackStore:
    """Citizens' feedback and staff's reviews in one database; safe to share between threads."""

    def __init__(self, database: Database, report: Path = DEFAULT_REPORT):
        self.database = database
        self.report = Path(report)  # the text evidence must be copied from
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    def __repr__(self) -> str:
        return f"FeedbackStore({self.database})"

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[Run]:
        with self._schema_lock:
            if not self._schema_ready:
                with self.database.transaction(write=True) as run:
                    if self.database.schema_lock:
                        run(self.database.schema_lock, ())
                    for statement in SCHEMA:
                        run(statement.format(id_column=self.database.id_column), ())
                self._schema_ready = True
        with self.database.transaction(write) as run:
            yield run

    def add(self, feedback: Feedback) -> FeedbackId:
        """Store one 👍 / 👎 (checked first: a FeedbackError says what is wrong, nothing is written)."""
        f = checked_feedback(feedback)
        with self._transaction(write=True) as run:
            rows = run(
                "INSERT INTO feedback (created_at, rating, question, history, answer, citations, reason, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    _now(),
                    f.rating,
                    f.question,
                    json.dumps(list(f.history), ensure_ascii=False),
                    f.answer,
                    json.dumps([asdict(c) for c in f.citations], ensure_ascii=False),
                    f.reason,
                    f.comment,
                ),
            )
        return FeedbackId(rows[0][0])

    def get(self, feedback_id: int) -> StoredFeedback:
        with self._transaction() as run:
            rows = run(f"SELECT {COLUMNS} {FROM} WHERE f.id = ?", (int(feedback_id),))
        if not rows:
            raise FeedbackError(f"没有编号为 {feedback_id} 的反馈 / no feedback with id {feedback_id}")
        return _stored(rows[0])

    def for_review(self, status: str = "unreviewed", limit: int | None = 100) -> list[StoredFeedback]:
        """👎 items, newest first: not yet reviewed, reviewed, or all; at most `limit` (None: every one)."""
        if status not in REVIEW_STATUSES:
            raise FeedbackError(f"状态只能是 {' / '.join(REVIEW_STATUSES)} / status must be one of {', '.join(REVIEW_STATUSES)}")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise FeedbackError("limit 须为正整数 / limit must be a positive whole number")
        sql = f"SELECT {COLUMNS} {FROM} WHERE f.rating = 'down'{STATUS_FILTERS[status]} ORDER BY f.created_at DESC, f.id DESC"
        with self._transaction() as run:
            rows = run(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
        return [_stored(row) for row in rows]

    def counts(self) -> FeedbackCounts:
        with self._transaction() as run:
            [(up, down, unreviewed)] = run(
                "SELECT COALESCE(SUM(CASE WHEN f.rating = 'up' THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN f.rating = 'down' THEN 1 ELSE 0 END), 0), "
                f"COALESCE(SUM(CASE WHEN f.rating = 'down' AND r.feedback_id IS NULL THEN 1 ELSE 0 END), 0) {FROM}",
                (),
            )
        return FeedbackCounts(int(up), int(down), int(unreviewed))

    def save_review(self, feedback_id: int, review: Review) -> StoredFeedback:
        """Save (or replace) staff's review of a 👎. Refused with a FeedbackError, nothing written, when the
        evidence is not verbatim report text or the item would not pass the golden-set checker."""
        item = self.get(feedback_id)
        if item.feedback.rating != "down":
            raise FeedbackError(f"只复核 👎 反馈，{feedback_id} 是 👍 / only 👎 feedback is reviewed; {feedback_id} is a 👍")
        review = checked_review(review, self.report)
        golden_lines([(item, review)], self.report)
        with self._transaction(write=True) as run:
            run(
                "INSERT INTO feedback_review (feedback_id, reviewed_at, answer, must_include, evidence, section, type, year) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feedback_id) DO UPDATE SET reviewed_at = excluded.reviewed_at, "
                "answer = excluded.answer, must_include = excluded.must_include, evidence = excluded.evidence, "
                "section = excluded.section, type = excluded.type, year = excluded.year",
                (
                    item.id,
                    _now(),
                    review.answer,
                    json.dumps(list(review.must_include), ensure_ascii=False),
                    json.dumps(list(review.evidence), ensure_ascii=False),
                    review.section,
                    review.type,
                    review.year,
                ),
            )
        return self.get(item.id)

    def export_golden(self) -> list[str]:
        """Every reviewed 👎 as a golden JSON line (id "fb<id>", oldest first), checked by eval.golden's checker."""
        items = sorted(self.for_review("reviewed", limit=None), key=lambda item: item.id)
        return golden_lines([(item, item.review) for item in items], self.report)


def open_feedback_store(url: str, folder: Path, report: Path = DEFAULT_REPORT) -> FeedbackStore:
    """No URL: the SQLite file feedback.sqlite3 in `folder` (the index folder); postgresql://…: that server."""
    url = (url or "").strip()
    if not url:
        return FeedbackStore(SqliteDatabase(folder), report)
    if url.split("://", 1)[0].lower() in SCHEMES and "://" in url:
        return FeedbackStore(PostgresDatabase(url), report)
    raise FeedbackError(
        "REPORTQA_FEEDBACK_URL 须为空（使用索引目录下的 SQLite 文件）或 postgresql://… / "
        "REPORTQA_FEEDBACK_URL must be empty (a SQLite file in the index folder) or a postgresql://… URL"
    )


@functools.lru_cache(maxsize=8)
def shared_feedback_store(url: str, folder: Path) -> FeedbackStore:
    """One store per URL and folder per process, for the chat, the staff tabs and the API alike. Call it when a
    record is written, not at start-up: a database that is down must not stop the chat, and a failed open is not
    kept, so the next call tries again."""
    return open_feedback_store(url, folder)

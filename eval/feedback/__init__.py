"""Citizens' 👍 / 👎 on answers, staff's reviews of the 👎, and their export as golden-set lines.

    store = open_feedback_store(settings.feedback_url, settings.index_dir)
    store.add(Feedback.from_answer(answer, "down", history, reason="wrong_year", comment="问的是2023年"))
    for item in store.for_review("unreviewed"): ...
    store.save_review(item.id, Review(answer="…", must_include=("…",), evidence=("…",), type="number", year=2023))
    write_golden(store.export_golden(), Path("feedback.jsonl"))

records.py      the records and their checks     golden_items.py  review → golden line, via eval.golden's checker
store.py        the store and its SQL            sqlite.py / postgres.py  the two databases
"""

from eval.feedback.golden_items import write_golden
from eval.feedback.records import (
    REASONS,
    Citation,
    Feedback,
    FeedbackCounts,
    FeedbackError,
    FeedbackId,
    FeedbackStoreError,
    Review,
    StoredFeedback,
)
from eval.feedback.store import FeedbackStore, open_feedback_store, shared_feedback_store

__all__ = [
    "REASONS",
    "Citation",
    "Feedback",
    "FeedbackCounts",
    "FeedbackError",
    "FeedbackId",
    "FeedbackStore",
    "FeedbackStoreError",
    "Review",
    "StoredFeedback",
    "open_feedback_store",
    "shared_feedback_store",
    "write_golden",
]

"""What a citizen's 👍 / 👎 is, what staff write when they review a 👎, and the checks on both.

Only the listed fields are kept: the question, the chat turns before it, the answer, its citations, the
rating, the reason and free text. Never an IP address, user agent, session id or any other request data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import NewType

from rag.questions import MAX_QUESTION_CHARS

FeedbackId = NewType("FeedbackId", int)

RATINGS = ("up", "down")
# The reasons a citizen may pick for a 👎 (stored as the code, shown as the label).
REASONS = {
    "wrong_answer": "答案错误",
    "wrong_year": "年份不对",
    "not_answered": "没回答我的问题",
    "other": "其他",
}
REVIEW_STATUSES = ("unreviewed", "reviewed", "all")


class FeedbackError(ValueError):
    """Feedback, a review or an export that cannot be accepted; the message says why, in Chinese and English."""


class FeedbackStoreError(FeedbackError):
    """The feedback database cannot be opened, reached or written; the message names it (never a password)."""


@dataclass(frozen=True)
class FeedbackLimits:
    # Turns of chat kept before the question: a follow-up needs the few just before it, and a long
    # conversation must not make one row grow without bound.
    history_turns: int = 10
    # Longest chat turn and longest answer: far above any answer the engine composes, small enough that
    # a flood of feedback cannot fill the disk quickly.
    turn_chars: int = 4000
    answer_chars: int = 4000
    # Citations kept per answer (retrieval returns at most 50 passages) and the longest citation text.
    citations: int = 50
    citation_chars: int = 2000
    # The citizen's free text beside a reason: a sentence or two.
    comment_chars: int = 500
    # A review: the reference answer, the strings it must contain, the verbatim evidence pieces.
    review_answer_chars: int = 2000
    must_include_items: int = 20
    must_include_chars: int = 200
    evidence_pieces: int = 10
    evidence_chars: int = 1000


LIMITS = FeedbackLimits()


@dataclass(frozen=True)
class Citation:
    """A passage the answer cited, as the citizen saw it."""

    chunk_id: str
    text: str
    section: str = ""
    page: int = 0
    year: int = 0

    @classmethod
    def from_passage(cls, passage) -> Citation:
        """From a rag.types.Passage (or anything with the same fields)."""
        return cls(passage.chunk_id, passage.text, passage.section, passage.page, passage.year)


@dataclass(frozen=True)
class Feedback:
    """One 👍 or 👎 on one answer, as a citizen gave it."""

    rating: str  # "up" or "down"
    question: str
    answer: str
    history: tuple[dict, ...] = ()  # the chat turns before the question: {"role": "user"|"assistant", "content": str}
    citations: tuple[Citation, ...] = ()
    reason: str | None = None  # a key of REASONS, only with a 👎
    comment: str = ""  # free text, only with a 👎

    @classmethod
    def from_answer(cls, answer, rating: str, history=(), reason: str | None = None, comment: str = "") -> Feedback:
        """From a rag.types.Answer and the chat history it was asked with."""
        return cls(
            rating=rating,
            question=answer.question,
            answer=answer.text,
            history=tuple(history or ()),
            citations=tuple(Citation.from_passage(p) for p in answer.citations),
            reason=reason,
            comment=comment,
        )


@dataclass(frozen=True)
class Review:
    """What staff write for a 👎: the right answer and where the report says it (a golden item's fields)."""

    answer: str
    must_include: tuple[str, ...]
    evidence: tuple[str, ...]  # pieces copied verbatim from the cleaned report
    type: str  # one of eval.golden.TYPES
    year: int | None
    section: str = ""


@dataclass(frozen=True)
class StoredFeedback:
    id: FeedbackId
    created_at: datetime  # UTC
    feedback: Feedback
    review: Review | None = None
    reviewed_at: datetime | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            **asdict(self.feedback),
            "review": asdict(self.review) if self.review else None,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
        }


@dataclass(frozen=True)
class FeedbackCounts:
    up: int = 0
    down: int = 0
    unreviewed: int = 0  # 👎 not reviewed yet


def _text(value: object, name: str, limit: int, required: bool = True) -> str:
    if not isinstance(value, str):
        raise FeedbackError(f"{name} 必须是文字 / {name} must be a string")
    value = value.strip()
    if required and not value:
        raise FeedbackError(f"{name} 不能为空 / {name} is empty")
    if len(value) > limit:
        raise FeedbackError(
            f"{name} 太长（{len(value)}字，上限{limit}字） / {name} has {len(value)} characters; the limit is {limit}"
        )
    return value


def _history(history: object, limits: FeedbackLimits) -> tuple[dict, ...]:
    if not isinstance(history, list | tuple):
        raise FeedbackError('history 必须是对话列表 / history must be a list of {"role": ..., "content": ...}')
    turns = []
    for turn in list(history)[-limits.history_turns :]:
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant"):
            raise FeedbackError('history 的每一轮须为 {"role": "user"|"assistant", "content": 文字} / bad history turn')
        turns.append({"role": turn["role"], "content": _text(turn.get("content"), "history content", limits.turn_chars)})
    return tuple(turns)


def _citations(citations: object, limits: FeedbackLimits) -> tuple[Citation, ...]:
    if not isinstance(citations, list | tuple) or not all(isinstance(c, Citation) for c in citations):
        raise FeedbackError("citations 必须是 Citation 列表 / citations must be a list of Citation")
    if len(citations) > limits.citations:
        raise FeedbackError(f"引用太多（{len(citations)}条） / {len(citations)} citations; the limit is {limits.citations}")
    return tuple(
        Citation(
            _text(c.chunk_id, "citation chunk_id", limits.citation_chars, required=False),
            _text(c.text, "citation text", limits.citation_chars, required=False),
            _text(c.section, "citation section", limits.citation_chars, required=False),
            c.page if isinstance(c.page, int) else 0,
            c.year if isinstance(c.year, int) else 0,
        )
        for c in citations
    )


def checked_feedback(feedback: object, limits: FeedbackLimits = LIMITS) -> Feedback:
    """The feedback, stripped and bounded, or a FeedbackError a citizen or developer can read."""
    if not isinstance(feedback, Feedback):
        raise FeedbackError("需要一条 Feedback 记录 / expected a Feedback record")
    if feedback.rating not in RATINGS:
        raise FeedbackError(f"评价只能是 👍 或 👎 / rating must be one of {', '.join(RATINGS)}, not {feedback.rating!r}")
    if feedback.rating == "up" and (feedback.reason is not None or (feedback.comment or "").strip()):
        raise FeedbackError("👍 不需要原因 / a 👍 takes no reason or comment")
    if feedback.reason is not None and feedback.reason not in REASONS:
        raise FeedbackError(
            f"原因只能是：{' / '.join(REASONS.values())} / reason must be one of {', '.join(REASONS)}, not {feedback.reason!r}"
        )
    return Feedback(
        rating=feedback.rating,
        question=_text(feedback.question, "question", MAX_QUESTION_CHARS),
        answer=_text(feedback.answer, "answer", limits.answer_chars),
        history=_history(feedback.history, limits),
        citations=_citations(feedback.citations, limits),
        reason=feedback.reason,
        comment=_text(feedback.comment, "comment", limits.comment_chars, required=False),
    )

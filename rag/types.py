"""The values that cross module boundaries: what retrieval returns and what an answer is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk of the report, with where it stands and how well it matched."""

    chunk_id: str
    text: str  # the chunk itself: one or a few sentences
    context: str  # the whole paragraph the chunk belongs to, for reading around it
    section: str  # section path, e.g. "二、2023年主要工作安排 > （六）增进民生福祉… > 办好人民满意教育"
    page: int
    year: int  # 2022: achieved (part 一); 2023: planned (parts 二 and 三)
    score: float
    doc_id: str = ""
    dense_score: float = 0.0  # cosine similarity to the question
    keyword_score: float = 0.0  # BM25 score for the question's words
    degraded: bool = False  # ranked by keywords alone: the vector store could not be reached

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """A composed answer: `text` carries [n] markers that point into `citations` (1-based)."""

    question: str
    text: str
    citations: list[Passage]
    refused: bool
    year: int | None = None  # the year the question asked about, if any
    retrieved: list[Passage] = field(default_factory=list)  # everything retrieval returned
    highlights: list[str] = field(default_factory=list)  # per citation: the clause that supports the answer
    # Why the report does not (fully) answer: "not_in_report", "other_year_only", "kind_not_given",
    # "off_topic", "greeting", "year_not_covered", "period_not_covered", "not_chinese"; None for a full answer.
    reason: str | None = None
    partial: bool = False  # answered, but not all of what was asked (another year's figure, a kind not given)

    @property
    def degraded(self) -> bool:
        """Answered from the keyword index alone, because the vector store could not be reached."""
        return any(p.degraded for p in self.retrieved)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "text": self.text,
            "refused": self.refused,
            "year": self.year,
            "reason": self.reason,
            "partial": self.partial,
            "degraded": self.degraded,
            "citations": [
                {**p.to_dict(), "highlight": h} for p, h in zip(self.citations, self.highlights or [""] * len(self.citations))
            ],
        }

"""Evaluation metrics as small pure functions, named as in the IR and RAG literature.

Relevance is binary and evidence-based: a passage is relevant to an item when its text
contains one of the item's evidence pieces (eval/README.md defines every metric).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rag.answering.grounding import ungrounded_numbers

WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without whitespace, so raw PDF lines (the llama-index baseline's chunks) compare fairly."""
    return WHITESPACE.sub("", text)


def is_relevant(passage_text: str, evidence: Sequence[str]) -> bool:
    text = squeeze(passage_text)
    return any(squeeze(piece) in text for piece in evidence)


def relevance(passage_texts: Sequence[str], evidence: Sequence[str]) -> list[bool]:
    return [is_relevant(text, evidence) for text in passage_texts]


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    """1 if any of the first k passages is relevant."""
    return float(any(relevant[:k]))


def reciprocal_rank(relevant: Sequence[bool]) -> float:
    """1 / rank of the first relevant passage (0 when none is)."""
    return next((1.0 / rank for rank, rel in enumerate(relevant, start=1) if rel), 0.0)


def dcg_at_k(relevant: Sequence[bool], k: int) -> float:
    """Σ_{i=1..k} rel_i / log2(i + 1)."""
    return sum(1.0 / math.log2(i + 1) for i, rel in enumerate(relevant[:k], start=1) if rel)


def ndcg_at_k(relevant: Sequence[bool], k: int, relevant_total: int) -> float:
    """DCG@k / IDCG@k, where the ideal ranking puts min(relevant_total, k) relevant passages first.

    `relevant_total` counts the relevant passages in the whole searched corpus. Passing fewer than
    the ranking itself holds (e.g. one per evidence piece, when a piece stands in two overlapping
    chunks) would push nDCG above 1, so it is refused.
    """
    if relevant_total < sum(relevant[:k]):
        raise ValueError(f"relevant_total={relevant_total} but the first {k} passages hold {sum(relevant[:k])} relevant ones")
    ideal = dcg_at_k([True] * min(relevant_total, k), k)
    return dcg_at_k(relevant, k) / ideal if ideal else 0.0


def context_precision(relevant: Sequence[bool], k: int) -> float:
    """Average precision over the first k: mean of precision@i at each relevant rank i (RAGAS, non-LLM)."""
    hits, total = 0, 0.0
    for i, rel in enumerate(relevant[:k], start=1):
        if rel:
            hits += 1
            total += hits / i
    return total / hits if hits else 0.0


def context_recall(passage_texts: Sequence[str], evidence: Sequence[str]) -> float:
    """Share of evidence pieces found in at least one passage."""
    if not evidence:
        return 0.0
    texts = [squeeze(t) for t in passage_texts]
    return sum(any(squeeze(piece) in text for text in texts) for piece in evidence) / len(evidence)


def answer_correct(answer_text: str, must_include: Sequence[str]) -> bool:
    """Every must_include string stands in the answer, whitespace aside ("1.7 万个" in a raw PDF line is "1.7万个")."""
    text = squeeze(answer_text)
    return all(squeeze(s) in text for s in must_include)


def numbers_grounded(answer_text: str, cited_texts: Sequence[str], allowed: Sequence[str] = ()) -> bool:
    """Every number in the answer stands in a cited passage (the rule of rag/answering/grounding.py)."""
    return not ungrounded_numbers(answer_text, cited_texts, allowed)


def precision_recall(predicted: Sequence[bool], actual: Sequence[bool]) -> tuple[float, float]:
    """Precision and recall of a yes/no prediction (e.g. refused vs unanswerable)."""
    true_positive = sum(p and a for p, a in zip(predicted, actual))
    predicted_positive, actual_positive = sum(predicted), sum(actual)
    precision = true_positive / predicted_positive if predicted_positive else 0.0
    recall = true_positive / actual_positive if actual_positive else 0.0
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0

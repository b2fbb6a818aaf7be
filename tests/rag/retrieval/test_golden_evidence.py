"""Known evidence from eval/golden.jsonl is among the top 5 passages of the real index."""

from __future__ import annotations

import pytest

from eval.golden import DEFAULT_GOLDEN, GoldenItem, load_golden
from rag.retrieval.retriever import Retriever
from rag.settings import DEFAULT_REPORT

# Numbers, facts, lists and targets of both years; everyday words (GDP, 养老院, 公园) and year words
# (去年, 22年, 今年) included. All are single-turn questions.
ITEMS = ["g003", "g006", "g026", "g032", "g045", "g060", "g077", "g095", "g110", "g119", "g142", "g166"]


@pytest.fixture(scope="module")
def golden() -> dict[str, GoldenItem]:
    return {item.id: item for item in load_golden(DEFAULT_GOLDEN, DEFAULT_REPORT)}


@pytest.mark.parametrize("item_id", ITEMS)
def test_golden_evidence_is_in_the_top_5(retriever: Retriever, golden: dict[str, GoldenItem], item_id: str) -> None:
    item = golden[item_id]
    assert item.answerable and not item.history and item.evidence
    passages = retriever.retrieve(item.question, k=5)
    found = [p for p in passages if any(piece in p.text for piece in item.evidence)]
    assert found, f"{item.question!r}: none of {[p.text[:30] for p in passages]} holds {item.evidence}"
    assert found[0].year == item.year

"""The passages a reader is shown: those the answer stands on first, then the rest as retrieved, each once."""

from __future__ import annotations

from rag.answering.ranking import shown_passages
from rag.types import Answer, Passage


def passage(chunk_id: str, score: float = 0.5) -> Passage:
    return Passage(chunk_id, f"段落{chunk_id}", "", "", 1, 2022, score)


def answer(cited: list[str], retrieved: list[str]) -> Answer:
    return Answer("问", "答[1]。", [passage(c) for c in cited], not cited, retrieved=[passage(r) for r in retrieved])


def ids(passages: list[Passage]) -> list[str]:
    return [p.chunk_id for p in passages]


def test_the_cited_passages_come_first_in_citation_order_then_the_retrieved_ones():
    assert ids(shown_passages(answer(["c", "a"], ["a", "b", "c", "d"]), 5)) == ["c", "a", "b", "d"]


def test_a_chunk_cited_and_retrieved_twice_is_shown_once():
    assert ids(shown_passages(answer(["b", "b"], ["a", "b", "a"]), 5)) == ["b", "a"]


def test_only_k_are_shown():
    assert ids(shown_passages(answer(["c"], ["a", "b", "c", "d"]), 2)) == ["c", "a"]


def test_a_refusal_shows_the_retrieved_order():
    assert ids(shown_passages(answer([], ["a", "b"]), 5)) == ["a", "b"]


def test_more_passages_fill_up_to_k_when_the_answer_read_fewer():
    assert ids(shown_passages(answer(["a"], ["a"]), 3, [passage("a"), passage("x"), passage("y"), passage("z")])) == [
        "a",
        "x",
        "y",
    ]

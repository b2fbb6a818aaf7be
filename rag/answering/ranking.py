"""Passages in the order a reader should see them: those the answer stands on first, then the rest as retrieved.

The retriever ranks chunks by the words and meaning they share with the question. The answer engine knows
more: the kind of answer asked, the year, which sentence holds the figure, what a follow-up refers to. So the
passage it cites is the better first passage. No cross-encoder ships offline; this is the re-ranking stage.
"""

from __future__ import annotations

from collections.abc import Iterable

from rag.types import Answer, Passage


def shown_passages(answer: Answer, k: int, more: Iterable[Passage] = ()) -> list[Passage]:
    """The first `k` of: the passages the answer cites, in citation order, then the ones it read, then `more`;
    each chunk once (two parts of a question may retrieve the same chunk)."""
    shown: dict[str, Passage] = {}
    for passage in [*answer.citations, *answer.retrieved, *more]:
        if len(shown) == k:
            break
        shown.setdefault(passage.chunk_id, passage)
    return list(shown.values())

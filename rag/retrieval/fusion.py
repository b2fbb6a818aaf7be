"""Fusing two rankings into one: reciprocal ranks, or a convex combination of normalised scores."""

from __future__ import annotations


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """RRF (Cormack et al. 2009): score(d) = Σ 1 / (k + rank(d)), ranks from 1."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def min_max(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {key: (value - low) / span if span else 1.0 for key, value in scores.items()}


def max_normalize(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values(), default=0.0)
    return {key: value / top for key, value in scores.items()} if top > 0 else {key: 0.0 for key in scores}


def weighted_fusion(dense: dict[str, float], keyword: dict[str, float], dense_weight: float) -> dict[str, float]:
    """Convex combination of normalised scores; a retriever that missed a chunk gives it 0.

    Cosines crowd into a narrow band, so they are min-max scaled; BM25 scores are divided by the best
    one, because their zero means "no word in common" and the weakest match must stay above it.
    """
    dense, keyword = min_max(dense), max_normalize(keyword)
    return {
        key: dense_weight * dense.get(key, 0.0) + (1 - dense_weight) * keyword.get(key, 0.0)
        for key in dense.keys() | keyword.keys()
    }

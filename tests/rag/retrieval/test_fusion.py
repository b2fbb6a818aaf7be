"""Fusing the dense and the keyword ranking: normalised scores mixed by weight, or reciprocal ranks."""

from __future__ import annotations

import pytest

from rag.retrieval.fusion import max_normalize, min_max, reciprocal_rank_fusion, weighted_fusion


def test_min_max_spreads_cosines_over_zero_to_one() -> None:
    assert min_max({"a": 0.82, "b": 0.80, "c": 0.81}) == pytest.approx({"a": 1.0, "b": 0.0, "c": 0.5})


def test_min_max_of_equal_scores_ranks_them_all_first() -> None:
    assert min_max({"a": 0.5, "b": 0.5}) == {"a": 1.0, "b": 1.0}
    assert min_max({}) == {}


def test_max_normalize_keeps_bm25_zero_at_zero_and_the_weakest_match_above_it() -> None:
    scaled = max_normalize({"a": 8.0, "b": 2.0, "c": 0.0})
    assert scaled == {"a": 1.0, "b": 0.25, "c": 0.0}
    assert max_normalize({"a": 0.0}) == {"a": 0.0}  # nothing matched: nothing is promoted


def test_weighted_fusion_mixes_the_normalised_scores_by_the_dense_weight() -> None:
    dense = {"a": 0.9, "b": 0.7}  # min-max: a 1.0, b 0.0
    keyword = {"b": 4.0, "c": 2.0}  # max-scaled: b 1.0, c 0.5
    assert weighted_fusion(dense, keyword, 0.5) == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.25})
    assert weighted_fusion(dense, keyword, 1.0) == pytest.approx({"a": 1.0, "b": 0.0, "c": 0.0})
    assert weighted_fusion(dense, keyword, 0.0) == pytest.approx({"a": 0.0, "b": 1.0, "c": 0.5})


def test_a_chunk_found_by_one_search_only_gets_zero_from_the_other() -> None:
    fused = weighted_fusion({"a": 0.9, "b": 0.1}, {"c": 3.0}, 0.5)
    assert set(fused) == {"a", "b", "c"}
    assert fused["a"] == pytest.approx(0.5) and fused["c"] == pytest.approx(0.5)


def test_reciprocal_rank_fusion_rewards_agreement_between_rankings() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]], k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 63)
    assert max(fused, key=fused.get) == "b"  # second and first beat first and third


def test_reciprocal_rank_fusion_of_one_ranking_keeps_its_order() -> None:
    fused = reciprocal_rank_fusion([["x", "y", "z"], []])
    assert sorted(fused, key=fused.get, reverse=True) == ["x", "y", "z"]

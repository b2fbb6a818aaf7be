"""Which configurations a run compares, and the names staff may give (over the fake index: how each
one searches is the point here, not how well)."""

from __future__ import annotations

import pytest

from eval.configurations import ConfigurationError, build_configurations, parse_names
from rag.settings import DEFAULT_REPORT


def test_each_configuration_searches_its_own_way_over_the_same_chunks(fake_index):
    made = build_configurations(fake_index, DEFAULT_REPORT, ("bm25", "dense", "hybrid"))
    assert list(made) == ["bm25", "dense", "hybrid"]  # in the order given
    assert {name: c.retriever.config.mode for name, c in made.items()} == {
        "bm25": "keyword",
        "dense": "dense",
        "hybrid": "hybrid",
    }
    assert all(c.corpus == [chunk.text for chunk in fake_index.chunks] for c in made.values())
    assert all(c.note == "" for c in made.values())


def test_degrading_swaps_the_hybrid_retrieval_and_says_so(fake_index):
    configurations = build_configurations(fake_index, DEFAULT_REPORT, ("hybrid",), degrade="dense")
    assert configurations["hybrid"].retriever.config.mode == "dense"
    assert configurations["hybrid"].note == "degraded: dense retrieval only"
    with pytest.raises(ConfigurationError, match="cannot degrade to 'rrf'"):
        build_configurations(fake_index, DEFAULT_REPORT, ("hybrid",), degrade="rrf")


def test_configuration_names_are_checked():
    assert parse_names(" bm25, hybrid ,bm25") == ("bm25", "hybrid")
    with pytest.raises(ConfigurationError, match="unknown configuration 'sparse': choose from hybrid, dense, bm25, llamaindex"):
        parse_names("hybrid,sparse")
    with pytest.raises(ConfigurationError, match=r"\(none given\)"):
        parse_names(" , ")

"""The query-vector cache: each text is encoded once per run, and latencies still count the encoding."""

from __future__ import annotations

import time

import numpy as np

from eval.query_cache import CachedQueryEmbedder, with_query_cache

ENCODING_SECONDS = 0.05


class SlowEmbedder:
    """Stands in for the model: every call takes ENCODING_SECONDS and is recorded."""

    name = "slow"

    def __init__(self):
        self.calls: list[list[str]] = []

    def embed_queries(self, texts):
        time.sleep(ENCODING_SECONDS)
        self.calls.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32).reshape(len(texts), 2)

    def embed_passages(self, texts):
        return np.zeros((len(texts), 2), dtype=np.float32)


def timed(cache, texts):
    start = cache.clock()
    vectors = cache.embed_queries(texts)
    return vectors, cache.clock() - start


def test_each_text_is_encoded_once_and_gets_the_same_vector_back():
    model = SlowEmbedder()
    cache = CachedQueryEmbedder(model)
    first, _ = timed(cache, ["去年GDP多少"])
    again, _ = timed(cache, ["去年GDP多少"])
    both, _ = timed(cache, ["去年GDP多少", "新增学位"])
    assert model.calls == [["去年GDP多少"], ["新增学位"]]
    assert np.array_equal(first, again) and np.array_equal(both[0], first[0])
    assert both.shape == (2, 2)


def test_a_cache_hit_costs_on_the_clock_what_the_first_encoding_took():
    cache = CachedQueryEmbedder(SlowEmbedder())
    _, first = timed(cache, ["去年GDP多少"])
    _, hit = timed(cache, ["去年GDP多少"])
    assert first >= ENCODING_SECONDS
    # The hit is charged the encoding time measured inside the cache: at least the model's time,
    # at most the first call's total (which also paid the bookkeeping around it).
    assert ENCODING_SECONDS <= hit <= first + 0.01
    assert time.perf_counter() < cache.clock()  # the clock runs ahead by what the hit saved


def test_everything_but_query_encoding_is_the_wrapped_embedder():
    model = SlowEmbedder()
    cache = CachedQueryEmbedder(model)
    assert cache.name == "slow"
    assert cache.embed_passages(["a", "b"]).shape == (2, 2)
    assert model.calls == []


def test_the_cached_view_of_an_index_leaves_the_original_alone(fake_index):
    view, cache = with_query_cache(fake_index)
    assert view.embedder is cache and fake_index.embedder is not cache
    assert view.chunks == fake_index.chunks and view.report_year == fake_index.report_year

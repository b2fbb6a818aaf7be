"""Query vectors computed once per evaluation run, with latencies kept honest.

Four configurations ask the same ~200 questions, retrieval first and then answers, and the
Answerer embeds a question again for each year it looks up: without a cache the same text is
encoded up to a dozen times and a full run takes minutes. A cached vector is free, though, and
that would make every configuration after the first look faster than it is. So each cached
vector is charged the time its first encoding took: `clock()` runs ahead by that much, and a
latency measured with it is what a user would wait.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from rag.models.embedder import Embedder
from rag.store.index import Index


class CachedQueryEmbedder:
    """An Embedder whose `embed_queries` remembers each text; everything else is the wrapped one's."""

    def __init__(self, embedder: Embedder):
        self._embedder = embedder
        self._vectors: dict[str, tuple[np.ndarray, float]] = {}  # text → (vector, seconds its encoding took)
        self._charged = 0.0
        self._lock = threading.Lock()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        rows = [self._vector(text) for text in texts]
        return np.stack(rows) if rows else self._embedder.embed_queries([])

    def _vector(self, text: str) -> np.ndarray:
        with self._lock:
            if text in self._vectors:
                vector, seconds = self._vectors[text]
                self._charged += seconds
                return vector
            start = time.perf_counter()
            vector = self._embedder.embed_queries([text])[0]
            self._vectors[text] = (vector, time.perf_counter() - start)
            return vector

    def clock(self) -> float:
        """Seconds, like time.perf_counter, plus the encoding time every cache hit saved so far."""
        return time.perf_counter() + self._charged

    def __getattr__(self, name: str):
        return getattr(self._embedder, name)  # embed_passages, name, dimension, batch_size, model


def with_query_cache(index: Index) -> tuple[Index, CachedQueryEmbedder]:
    """A second view of `index` (same store, chunks and BM25) that embeds queries through a fresh cache.

    The given index is left as it is: the web chat may be answering citizens with it meanwhile.
    """
    cache = CachedQueryEmbedder(index.embedder)
    return Index(index.settings, index.generations, cache, index.tokenizer), cache

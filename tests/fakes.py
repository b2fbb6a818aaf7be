"""Stand-ins for the slow parts, for tests where the real model is not the point.

`FakeEmbedder` has the interface of `rag.models.embedder.Embedder` (embed_queries, embed_passages,
name, dimension, prefixes) and embeds in microseconds: each text's characters and character pairs are
hashed into a few hundred dimensions. Texts that share characters point the same way, so retrieval over
it behaves sensibly, but no test may draw conclusions about ranking quality from it: that is the real
model's job (tests marked `model`).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np


def character_ngrams(text: str) -> list[str]:
    """Single characters and adjacent pairs, spaces left out and Latin letters lowercased."""
    chars = [c for c in text.lower() if not c.isspace()]
    return chars + [a + b for a, b in zip(chars, chars[1:])]


@dataclass
class FakeEmbedder:
    """Deterministic across processes (crc32, not Python's salted hash); counts what it embedded,
    so tests can check that re-ingesting embeds nothing."""

    name: str = "fake-character-ngrams"
    dimension: int = 256
    query_prefix: str = ""
    passage_prefix: str = ""
    batch_size: int = 32
    queries_embedded: int = 0
    passages_embedded: int = 0

    @property
    def identity(self) -> str:
        return self.name

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.queries_embedded += len(texts)
        return self._embed([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        return self._embed([self.passage_prefix + t for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in zip(rows, texts):
            for gram in character_ngrams(text):
                row[zlib.crc32(gram.encode()) % self.dimension] += 1.0
            norm = np.linalg.norm(row)
            if norm:
                row /= norm
            else:  # nothing to hash: still a unit vector, as the real model would give
                row[0] = 1.0
        return rows

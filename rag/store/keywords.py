"""BM25 over jieba words and character bigrams (bm25s), saved beside the vector store and rebuilt when the chunks or the words change."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import bm25s
import numpy as np

from rag.atomic import staged_directory
from rag.text.tokenize import ChineseTokenizer


def fingerprint(chunk_ids: list[str], tokenizer_signature: str = "") -> str:
    """Names the exact set of chunks an index was built from, and how their text was split into words
    (a new word in data/synonyms.toml changes the tokens, so the saved index must not be reused)."""
    return hashlib.sha1("\n".join([*sorted(chunk_ids), tokenizer_signature]).encode()).hexdigest()


class KeywordIndex:
    def __init__(self, bm25: bm25s.BM25, chunk_ids: list[str], tokenizer: ChineseTokenizer):
        self._bm25 = bm25
        self.chunk_ids = chunk_ids
        self._tokenizer = tokenizer
        self._vocabulary = set(bm25.vocab_dict)

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str], tokenizer: ChineseTokenizer) -> KeywordIndex:
        bm25 = bm25s.BM25()
        bm25.index([tokenizer.search_terms(t) or ["∅"] for t in texts], show_progress=False)
        return cls(bm25, list(chunk_ids), tokenizer)

    def save(self, folder: Path) -> None:
        with staged_directory(folder) as staging:
            self._bm25.save(str(staging), show_progress=False)
            (staging / "chunk_ids.json").write_text(
                json.dumps({"fingerprint": fingerprint(self.chunk_ids, self._tokenizer.signature), "ids": self.chunk_ids})
            )

    @classmethod
    def load(cls, folder: Path, tokenizer: ChineseTokenizer, expected_ids: list[str]) -> KeywordIndex | None:
        """The saved index, or None when it is missing, unreadable, or built from other chunks or other words."""
        try:
            saved = json.loads((folder / "chunk_ids.json").read_text())
            if saved["fingerprint"] != fingerprint(expected_ids, tokenizer.signature):
                return None
            return cls(bm25s.BM25.load(str(folder), show_progress=False), saved["ids"], tokenizer)
        except (OSError, ValueError, KeyError):
            return None

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk, in `chunk_ids` order."""
        tokens = [t for t in self._tokenizer.search_terms(query) if t in self._vocabulary]
        if not tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

"""An `Embedder` as a llama-index embed model.

llama-index takes about a second to import and only llama-index users need this, so nothing in
rag imports this module at its top: import it where the adapter is used.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.embeddings import BaseEmbedding
from pydantic import PrivateAttr

from rag.models.embedder import Embedder


class ReportQAEmbedding(BaseEmbedding):
    """`Settings.embed_model = ReportQAEmbedding(embedder)`: queries and passages get the model's
    prefixes, exactly as in ReportQA's own index."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        kwargs.setdefault("embed_batch_size", embedder.batch_size)
        super().__init__(model_name=embedder.name, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "ReportQAEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(texts).tolist()

    # The model runs on CPU in this process; the async variants just call the sync ones.
    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._get_text_embeddings(texts)

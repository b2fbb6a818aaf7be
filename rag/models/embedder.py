"""The sentence embedder that the index and the retriever share, and its llama-index adapter.

`load_embedder(settings.model, settings.model_cache)` gives one `Embedder` per process: model loads
take seconds, and the app, the CLI and the evaluation all call it. Rows come back float32 and
L2-normalized, so a dot product is the cosine.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.models.e5 import E5SourceError, ModelCheckError, materialize_e5_small
from rag.settings import E5_SMALL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# The retrieval instruction the BAAI/bge-*-zh model cards prescribe for queries (passages get none).
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be loaded (offline, missing or broken)."""


def prefixes_for(model_name: str) -> tuple[str, str]:
    """(query prefix, passage prefix) that the model was trained with.

    Decided on the last part of the name, so a hub id ("intfloat/multilingual-e5-small") and a
    local folder (".../bge-small-zh-v1.5") are treated alike.
    """
    base = model_name.rstrip("/").rsplit("/", 1)[-1].lower()
    if "e5" in base:
        return "query: ", "passage: "
    if base.startswith("bge-") and "-zh" in base:
        return BGE_ZH_QUERY_INSTRUCTION, ""
    return "", ""


@dataclass(frozen=True)
class Embedder:
    """A sentence-transformers model plus the prefixes it expects for queries and passages."""

    model: SentenceTransformer
    name: str
    dimension: int
    query_prefix: str = ""
    passage_prefix: str = ""
    batch_size: int = 32

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed([self.passage_prefix + t for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,  # e5 normalizes already; other models may not
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_LOAD_LOCK = threading.Lock()


def load_embedder(model: str, model_cache: Path) -> Embedder:
    """The embedder for `model`: a local folder, the e5-small name (rebuilt offline), or any hub name.

    Cached per process: the app, CLI and evaluation all share one loaded model.
    """
    with _LOAD_LOCK:  # concurrent first requests must not load (or build) the model twice
        return _load_embedder(model, str(model_cache))


@functools.cache
def _load_embedder(model: str, model_cache: str) -> Embedder:
    if Path(model).expanduser().is_dir():
        source = str(Path(model).expanduser())
    elif model == E5_SMALL:
        try:
            source = str(materialize_e5_small(Path(model_cache)))
        except (E5SourceError, ModelCheckError) as exc:
            raise EmbeddingModelError(
                f"cannot build {E5_SMALL} offline: {exc}. Alternatively set REPORTQA_MODEL to a local "
                "sentence-transformers folder."
            ) from exc
    else:
        source = model  # a hub name: works with hub access or when it is in the local HF cache
    st_model = _load_sentence_transformer(source, model)
    query_prefix, passage_prefix = prefixes_for(model)
    return Embedder(st_model, model, _dimension_of(st_model), query_prefix, passage_prefix)


def _load_sentence_transformer(source: str, configured_name: str) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer  # slow import: only when a model is needed

    try:
        return SentenceTransformer(source, device="cpu")
    except (OSError, ValueError) as exc:  # not in the local cache, not a folder, unreadable files
        raise EmbeddingModelError(
            f"cannot load the embedding model {configured_name!r} offline ({exc.__class__.__name__}: {exc}). "
            "Set REPORTQA_MODEL to a local sentence-transformers folder, or unset it to use the "
            f"{E5_SMALL} model that ReportQA rebuilds from its installed packages."
        ) from exc


def _dimension_of(model: SentenceTransformer) -> int:
    # Measured rather than asked: the method's name differs between sentence-transformers 5 and 6.
    return len(model.encode(["dimension probe"], show_progress_bar=False)[0])


# --------------------------------------------------------------------------- llama-index adapter
# llama-index takes about a second to import and only llama-index users need the adapter, so the
# class is created on first access of `rag.models.embedder.ReportQAEmbedding` (PEP 562 module __getattr__).


def __getattr__(name: str) -> Any:
    if name == "ReportQAEmbedding":
        return _report_qa_embedding_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _report_qa_embedding_class() -> type:
    from llama_index.core.embeddings import BaseEmbedding
    from pydantic import PrivateAttr

    class ReportQAEmbedding(BaseEmbedding):
        """An `Embedder` as a llama-index embed model: `Settings.embed_model = ReportQAEmbedding(embedder)`.

        Queries and passages get the model's prefixes, exactly as in ReportQA's own index.
        """

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

    # Look like a module-level class (repr, pickling by reference through __getattr__ above).
    ReportQAEmbedding.__module__ = __name__
    ReportQAEmbedding.__qualname__ = "ReportQAEmbedding"
    return ReportQAEmbedding

"""The sentence embedder that the index and the retriever share (llamaindex.py adapts it for llama-index).

`load_embedder(settings.model, settings.model_cache)` gives one `Embedder` per process: model loads
take seconds, and the app, the CLI and the evaluation all call it. Rows come back float32 and
L2-normalized, so a dot product is the cosine.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.models.batching import Batcher
from rag.models.e5 import materialize_e5_small
from rag.models.errors import E5SourceError, EmbeddingModelError, ModelCheckError
from rag.models.onnx_runtime import OnnxExportError, run_transformer_in_onnx
from rag.settings import E5_SMALL, RUNTIMES

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

# The retrieval instruction the BAAI/bge-*-zh model cards prescribe for queries (passages get none).
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


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
    runtime: str = "torch"  # what computes the transformer: one of settings.RUNTIMES (load_embedder sets it)
    # Questions arrive one per request thread; the batcher embeds those that overlap in time together, in
    # forward passes of this many questions of similar length (sentence-transformers sorts by length).
    # Every question of a pass is padded to its longest: in torch, 8 cost 38 ms of CPU a question and 32 cost 49
    # (questions as the load generator asks them, bench/load.py; README "Many citizens at once").
    query_batch_size: int = 8
    _queries: Batcher = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_queries", Batcher(self._embed_questions, max_batch=self.batch_size))

    @property
    def identity(self) -> str:
        """What the vectors depend on: stored vectors are reused only by an embedder of the same identity."""
        # ONNX Runtime's rows equal torch's (to 1e-7): only int8 weights give other vectors.
        return f"{self.name}+int8" if self.runtime == "torch-int8" else self.name

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._queries.embed([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed([self.passage_prefix + t for t in texts], self.batch_size)

    def _embed_questions(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, self.query_batch_size)

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,  # e5 normalizes already; other models may not
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_LOAD_LOCK = threading.Lock()


def load_embedder(model: str, model_cache: Path, runtime: str = RUNTIMES[0]) -> Embedder:
    """The embedder for `model`: a local folder, the e5-small name (rebuilt offline), or any hub name,
    computed by `runtime` (Settings.runtime says what each costs).

    Cached per process: the app, CLI and evaluation all share one loaded model.
    """
    with _LOAD_LOCK:  # concurrent first requests must not load (or build) the model twice
        return _load_embedder(model, str(model_cache), runtime)


@functools.cache
def _load_embedder(model: str, model_cache: str, runtime: str) -> Embedder:
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
    if runtime == "torch-int8":
        _quantize_linear_layers(st_model)
    elif runtime == "onnx":
        try:
            run_transformer_in_onnx(st_model, onnx_folder(Path(model_cache), model))
        except (OnnxExportError, OSError) as exc:  # a model torch.onnx cannot trace, a read-only cache: slower, not broken
            log.warning("%s; the embedding model runs in torch", exc)
            runtime = "torch"
    query_prefix, passage_prefix = prefixes_for(model)
    return Embedder(st_model, model, _dimension_of(st_model), query_prefix, passage_prefix, runtime=runtime)


def onnx_folder(model_cache: Path, model: str) -> Path:
    """Where the ONNX export of `model` (a name or a folder) is kept: one folder per model in the cache."""
    return model_cache / "onnx" / re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_")


def _quantize_linear_layers(model: SentenceTransformer) -> None:
    """Weights to int8 per tensor, activations quantized on the fly: 40% less CPU for a question, vectors within
    0.98 cosine of float32's (Settings.runtime gives what that costs retrieval)."""
    import warnings

    import torch

    with warnings.catch_warnings():  # torch.ao announces a future move of this API; the pinned torch has it
        warnings.simplefilter("ignore")
        torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


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
    # sentence-transformers 6 renamed get_sentence_embedding_dimension (deprecated there) to get_embedding_dimension.
    stated = (getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension)()
    if stated is not None:
        return stated
    # No module of this model states its output size: measure it (a forward pass, ~0.3 s).
    return len(model.encode(["dimension probe"], show_progress_bar=False)[0])

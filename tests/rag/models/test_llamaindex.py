"""The Embedder as a llama-index embed model gives exactly the Embedder's vectors, prefixes included."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import numpy as np

from tests.fakes import FakeEmbedder

PASSAGES = ["新建19处中小学、幼儿园，新增学位1.7万个。", "优良天数达到244天。", "地区生产总值增长4.5%。"]


def test_the_embedder_and_the_e5_rebuild_import_neither_llama_index_nor_the_model_runtime() -> None:
    heavy = ("llama_index", "sentence_transformers", "transformers", "torch", "safetensors")
    code = (
        f"import sys, rag.models.embedder, rag.models.e5; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_adapter_returns_the_embedders_vectors() -> None:
    from llama_index.core.embeddings import BaseEmbedding

    from rag.models.llamaindex import ReportQAEmbedding

    embedder = FakeEmbedder(name="e5", query_prefix="query: ", passage_prefix="passage: ", batch_size=7)
    adapter = ReportQAEmbedding(embedder)

    assert isinstance(adapter, BaseEmbedding)
    assert (adapter.model_name, adapter.embed_batch_size) == ("e5", 7)
    assert np.allclose(adapter.get_query_embedding("新增学位多少"), embedder.embed_queries(["新增学位多少"])[0])
    assert np.allclose(adapter.get_text_embedding(PASSAGES[0]), embedder.embed_passages([PASSAGES[0]])[0])
    assert np.allclose(adapter.get_text_embedding_batch(PASSAGES), embedder.embed_passages(PASSAGES))
    # the query got the query prefix, not the passage prefix
    assert not np.allclose(adapter.get_query_embedding("新增学位多少"), embedder.embed_passages(["新增学位多少"])[0])


def test_the_async_calls_give_the_same_vectors() -> None:
    from rag.models.llamaindex import ReportQAEmbedding

    embedder = FakeEmbedder(query_prefix="query: ", passage_prefix="passage: ")
    adapter = ReportQAEmbedding(embedder)

    assert np.allclose(asyncio.run(adapter.aget_query_embedding("新增学位多少")), embedder.embed_queries(["新增学位多少"])[0])
    assert np.allclose(asyncio.run(adapter.aget_text_embedding_batch(PASSAGES)), embedder.embed_passages(PASSAGES))

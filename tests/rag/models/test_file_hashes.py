"""Checksums that are re-read only when a file may have changed, and always when it has."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from rag.models import file_hashes
from rag.models.file_hashes import HashMemo, sha256_file


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files whose bytes were read to hash them."""
    seen: list[str] = []

    def counting(path: Path) -> str:
        seen.append(Path(path).name)
        return sha256_file(path)

    monkeypatch.setattr(file_hashes, "sha256_file", counting)
    return seen


@pytest.fixture
def hashed_long_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo's clock runs a minute ahead, as if the files were hashed long after they were written."""
    real_time_ns = time.time_ns
    monkeypatch.setattr(file_hashes, "time", SimpleNamespace(time_ns=lambda: real_time_ns() + 60 * 10**9))


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    path = tmp_path / "folder" / "weights.bin"
    path.parent.mkdir()
    path.write_bytes(b"\x01" * 1000)
    return path


def test_sha256_file_is_the_sha256_of_the_bytes(weights: Path) -> None:
    assert sha256_file(weights) == hashlib.sha256(b"\x01" * 1000).hexdigest()


def test_an_unchanged_file_is_read_once_even_by_the_next_process(weights: Path, reads: list[str], hashed_long_after) -> None:
    memo_file = weights.parent / "memo.json"
    first = HashMemo(memo_file)
    digest = first.sha256(weights)
    assert first.sha256(weights) == digest
    first.save()

    assert HashMemo(memo_file).sha256(weights) == digest  # a new memo, as a new process makes

    assert reads == ["weights.bin"]


def test_a_file_hashed_just_after_it_was_written_is_read_again(weights: Path, reads: list[str]) -> None:
    # A write later in the same file-time tick would keep its stamp: such a hash is not trusted yet.
    memo_file = weights.parent / "memo.json"
    memo = HashMemo(memo_file)
    memo.sha256(weights)
    memo.save()

    HashMemo(memo_file).sha256(weights)

    assert reads == ["weights.bin", "weights.bin"]


def test_a_file_rewritten_in_place_is_read_again_even_with_its_old_size_and_mtime(
    weights: Path, reads: list[str], hashed_long_after
) -> None:
    memo = HashMemo(weights.parent / "memo.json")
    before = memo.sha256(weights)
    stat = weights.stat()
    time.sleep(0.05)  # into a later file-time tick (1-10 ms on Linux filesystems)

    with weights.open("r+b") as handle:  # one byte flipped, the size unchanged, the mtime set back
        handle.seek(500)
        handle.write(b"\x02")
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    after = memo.sha256(weights)
    assert after != before
    assert after == hashlib.sha256(b"\x01" * 500 + b"\x02" + b"\x01" * 499).hexdigest()
    assert reads == ["weights.bin", "weights.bin"]


def test_a_truncated_file_is_read_again(weights: Path, reads: list[str]) -> None:
    memo = HashMemo(weights.parent / "memo.json")
    memo.sha256(weights)
    with weights.open("r+b") as handle:
        handle.truncate(10)

    assert memo.sha256(weights) == hashlib.sha256(b"\x01" * 10).hexdigest()
    assert len(reads) == 2


def test_a_damaged_memo_file_only_means_reading_everything_again(weights: Path, reads: list[str]) -> None:
    memo_file = weights.parent / "memo.json"
    HashMemo(memo_file).sha256(weights)
    for damaged in ["{not json", "[]", '{"weights.bin": [1, 2]}', '{"weights.bin": [1000, 1, 2, "x", "y"]}']:
        memo_file.write_text(damaged)

        assert HashMemo(memo_file).sha256(weights) == sha256_file(weights)

    assert len(reads) == 5


def test_a_memo_stays_valid_when_its_folder_is_renamed(weights: Path, reads: list[str], hashed_long_after) -> None:
    memo = HashMemo(weights.parent / "memo.json")
    memo.sha256(weights)
    memo.save()
    renamed = weights.parent.rename(weights.parent.with_name("final"))

    HashMemo(renamed / "memo.json").sha256(renamed / "weights.bin")

    assert reads == ["weights.bin"]


def test_nothing_learned_nothing_written(weights: Path) -> None:
    memo_file = weights.parent / "memo.json"
    HashMemo(memo_file).save()

    assert not memo_file.exists()

"""`python -m ui.cli` with bad input: exit code 2, one readable line on stderr, no traceback, no index work.

Each run gets its own REPORTQA_INDEX_DIR in a temp folder; a bad question or file must be refused
before that folder is even created. (A successful CLI retrieval runs in test_chroma_server.py,
against the server's index, so no second index is built here.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rag.resources import PROJECT_ROOT


def run_cli(args: list[str], env: dict[str, str], index_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=PROJECT_ROOT,
        env={**env, "REPORTQA_INDEX_DIR": str(index_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_refused(result: subprocess.CompletedProcess, index_dir: Path, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("reportqa: ") and "\n" not in message, message
    for word in words:
        assert word in message, message
    assert not index_dir.exists()  # refused before the index was opened, let alone built


@pytest.mark.parametrize(
    "args, says",
    [
        (["retrieve", ""], "the question is empty"),
        (["retrieve", "  \t "], "the question is empty"),
        (["retrieve", "？！……"], "no words to search for"),
        (["retrieve", "历城去年GDP多少", "-k", "0"], "k must be an integer from 1 to 50"),
    ],
)
def test_a_bad_question_exits_2_with_a_message(subprocess_env, tmp_path: Path, args: list[str], says: str) -> None:
    index_dir = tmp_path / "index"
    assert_refused(run_cli(args, subprocess_env, index_dir), index_dir, says)


def test_ingesting_a_missing_file_exits_2_with_a_message(subprocess_env, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    assert_refused(run_cli(["ingest", "/nonexistent"], subprocess_env, index_dir), index_dir, "file not found", "/nonexistent")


@pytest.mark.parametrize("kind", ["directory", "empty", "binary"])
def test_ingesting_an_unusable_file_exits_2_with_a_message(subprocess_env, tmp_path: Path, kind: str) -> None:
    index_dir = tmp_path / "index"
    path = tmp_path / kind
    if kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b"" if kind == "empty" else b"%PDF-1.7\x00\x01\x02")
    assert_refused(run_cli(["ingest", str(path)], subprocess_env, index_dir), index_dir, str(path))


def test_a_malformed_option_is_a_usage_error_not_a_traceback(subprocess_env, tmp_path: Path) -> None:
    result = run_cli(["retrieve", "历城去年GDP多少", "-k", "five"], subprocess_env, tmp_path / "index")
    assert result.returncode == 2
    assert "invalid int value" in result.stderr and "Traceback" not in result.stderr

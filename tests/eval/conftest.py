"""Shared by the evaluation tests. The real index and model come from tests/conftest.py (`settings`,
`index`: the report embedded once per session into a temp folder); here: golden-file fixtures, and
the environment that points `reportqa eval` run in-process at that same index."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from eval.golden import DEFAULT_GOLDEN

# A number question, a follow-up that only makes sense with its history, and one the report cannot answer.
TINY_IDS = ("g003", "g053", "g172")


@pytest.fixture(scope="session")
def golden_line():
    """id → that item's line of eval/golden.jsonl, exactly as it stands there."""
    lines = DEFAULT_GOLDEN.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"]: line for line in lines if line.strip()}.__getitem__


@pytest.fixture
def tiny_golden(tmp_path, golden_line) -> Path:
    """A 3-item golden file in its own folder (the web tab only runs files from one folder)."""
    folder = tmp_path / "golden"
    folder.mkdir()
    path = folder / "tiny.jsonl"
    path.write_text("\n".join(golden_line(i) for i in TINY_IDS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def session_index_env(monkeypatch, settings):
    """Settings.from_env(), which the command reads, names the session's index and model (whatever the
    developer exported), so the command never opens data/index."""
    for name in [n for n in os.environ if n.startswith("REPORTQA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("REPORTQA_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("REPORTQA_MODEL_CACHE", str(settings.model_cache))


@pytest.fixture(autouse=True)
def torch_threads_restored():
    """`reportqa eval` and the gate test set torch to one thread for the whole process (eval.run.steady_cpu);
    put it back, so that the other test folders run as they would alone."""
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)

"""Shared by the evaluation tests: golden-file fixtures, and ways to point `reportqa eval`, run in
process, at one of the session's indexes (tests/conftest.py: `fake_index` embedded by a stand-in
model in a second, `index` by the real one), so that the command never opens data/index."""

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


def _clear_reportqa_environment(monkeypatch) -> None:
    for name in [n for n in os.environ if n.startswith("REPORTQA_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def session_index_env(monkeypatch, settings):
    """Settings.from_env(), which the command reads, names the session's real index and model."""
    _clear_reportqa_environment(monkeypatch)
    monkeypatch.setenv("REPORTQA_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("REPORTQA_MODEL_CACHE", str(settings.model_cache))


@pytest.fixture
def fake_index_opened(monkeypatch, fake_index):
    """The command opens the session's fake index (stand-in model) instead of loading the real one."""
    _clear_reportqa_environment(monkeypatch)
    monkeypatch.setattr("rag.store.index.Index.open", lambda *args, **kwargs: fake_index)
    return fake_index


@pytest.fixture
def no_index(monkeypatch):
    """Fails the test if the command gets as far as opening the index (and loading the model)."""
    monkeypatch.setattr("rag.store.index.Index.open", lambda *args, **kwargs: pytest.fail("the index was opened"))

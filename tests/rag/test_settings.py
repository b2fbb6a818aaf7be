"""Every setting reads its environment variable and falls back to a default that works offline.

tests/conftest.py clears the developer's REPORTQA_* variables and points the index, the model cache and
the XDG folders at a temp folder for the run; each test here sets what it checks.
"""

import os
from pathlib import Path

import pytest

from rag.resources import PROJECT_ROOT
from rag.settings import DEFAULT_REPORT, E5_SMALL, Settings, SettingsError

EVERY_VARIABLE = (
    "REPORTQA_DOCS",
    "REPORTQA_INDEX_DIR",
    "REPORTQA_CHROMA_URL",
    "REPORTQA_COLLECTION",
    "REPORTQA_MODEL",
    "REPORTQA_MODEL_CACHE",
    "REPORTQA_CHUNK_CHARS",
    "REPORTQA_TOP_K",
    "REPORTQA_HOST",
    "REPORTQA_PORT",
    "REPORTQA_STAFF_TOKEN",
    "REPORTQA_ANSWER_CACHE",
    "REPORTQA_FEEDBACK_URL",
    "REPORTQA_RUNTIME",
)


@pytest.fixture
def no_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No REPORTQA_* variable at all; XDG_CACHE_HOME (returned) in a temp folder."""
    for name in EVERY_VARIABLE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_defaults_work_offline_without_any_environment(no_variables: Path) -> None:
    settings = Settings.from_env()
    assert settings.documents == (DEFAULT_REPORT,) and DEFAULT_REPORT.is_file()
    assert settings.index_dir == PROJECT_ROOT / "data" / "index"  # in a checkout; only the path is looked at
    assert settings.model_cache == no_variables / "reportqa" / "models"
    assert (settings.model, settings.chroma_url, settings.collection) == (E5_SMALL, "", "reportqa")
    assert (settings.chunk_chars, settings.top_k, settings.host, settings.port) == (80, 5, "127.0.0.1", 7860)
    assert settings.staff_token == ""
    assert (settings.answer_cache, settings.feedback_url, settings.refresh_seconds) == (2048, "", 5)
    assert settings.runtime == "onnx"  # torch's vectors for half its CPU; int8 is faster still but retrieves worse


def test_environment_variables_override_the_defaults(no_variables: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REPORTQA_DOCS", f"{tmp_path / 'a.txt'}{os.pathsep}{tmp_path / 'b.txt'}")
    monkeypatch.setenv("REPORTQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("REPORTQA_CHUNK_CHARS", "120")
    monkeypatch.setenv("REPORTQA_STAFF_TOKEN", "s3cret")
    monkeypatch.setenv("REPORTQA_CHROMA_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("REPORTQA_COLLECTION", "other")
    monkeypatch.setenv("REPORTQA_ANSWER_CACHE", "0")
    monkeypatch.setenv("REPORTQA_FEEDBACK_URL", "postgresql://reportqa@127.0.0.1/feedback")
    monkeypatch.setenv("REPORTQA_RUNTIME", "Torch-INT8")
    settings = Settings.from_env()
    assert settings.documents == (tmp_path / "a.txt", tmp_path / "b.txt")
    assert settings.index_dir == tmp_path / "index"
    assert settings.chunk_chars == 120 and settings.staff_token == "s3cret"
    assert (settings.chroma_url, settings.collection) == ("http://127.0.0.1:8000", "other")
    assert (settings.answer_cache, settings.feedback_url) == (0, "postgresql://reportqa@127.0.0.1/feedback")
    assert settings.runtime == "torch-int8"


def test_an_unknown_runtime_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTQA_RUNTIME", "int4")
    with pytest.raises(SettingsError, match="REPORTQA_RUNTIME.*onnx, torch, torch-int8"):
        Settings.from_env()


def test_blank_variables_count_as_unset(no_variables: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REPORTQA_DOCS", "REPORTQA_INDEX_DIR", "REPORTQA_MODEL", "REPORTQA_TOP_K", "REPORTQA_PORT"):
        monkeypatch.setenv(name, "  ")
    settings = Settings.from_env()
    assert settings.documents == (DEFAULT_REPORT,) and settings.model == E5_SMALL
    assert (settings.top_k, settings.port) == (5, 7860)


def test_a_tilde_in_a_path_is_the_home_folder(no_variables: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("REPORTQA_INDEX_DIR", "~/reportqa-index")
    monkeypatch.setenv("REPORTQA_MODEL_CACHE", "~/models")
    settings = Settings.from_env()
    assert settings.index_dir == tmp_path / "home" / "reportqa-index"
    assert settings.model_cache == tmp_path / "home" / "models"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REPORTQA_PORT", "http"),
        ("REPORTQA_PORT", "70000"),
        ("REPORTQA_TOP_K", "0"),
        ("REPORTQA_CHUNK_CHARS", "1e3"),
        ("REPORTQA_ANSWER_CACHE", "-1"),
        ("REPORTQA_REFRESH_SECONDS", "soon"),
    ],
)
def test_an_unusable_number_names_its_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name) as raised:
        Settings.from_env()
    assert "整数" in str(raised.value) and value in str(raised.value)


def test_numbers_in_range_are_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTQA_PORT", "8123")
    monkeypatch.setenv("REPORTQA_TOP_K", "7")
    settings = Settings.from_env()
    assert (settings.port, settings.top_k) == (8123, 7)


def test_with_gives_a_changed_copy_and_leaves_the_original(tmp_path: Path) -> None:
    original = Settings.from_env()
    changed = original.with_(index_dir=tmp_path, top_k=9)
    assert (changed.index_dir, changed.top_k) == (tmp_path, 9)
    assert original.index_dir != tmp_path and original.top_k == 5
    assert changed.with_(top_k=5, index_dir=original.index_dir) == original


def test_the_test_run_never_points_at_the_developers_index_or_cache() -> None:
    # tests/conftest.py's promise, checked where every test builds its settings.
    settings = Settings.from_env()
    assert settings.index_dir != PROJECT_ROOT / "data" / "index"
    assert Path.home() / ".cache" not in settings.model_cache.parents
    assert settings.index_dir.parent == settings.model_cache.parent  # both in the run's own temp folder
    assert settings.index_dir.parent.name.startswith("reportqa-tests-")

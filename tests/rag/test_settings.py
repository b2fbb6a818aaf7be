"""Every setting reads its environment variable and falls back to a default that works offline."""

from pathlib import Path

import pytest

from rag.settings import DEFAULT_REPORT, E5_SMALL, Settings


def test_defaults_work_offline_without_any_environment(monkeypatch):
    for name in ("REPORTQA_DOCS", "REPORTQA_MODEL", "REPORTQA_CHROMA_URL", "REPORTQA_EVAL_TAB", "REPORTQA_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert settings.documents == (DEFAULT_REPORT,)
    assert settings.model == E5_SMALL and settings.chroma_url == ""
    assert settings.port == 7860 and settings.eval_tab


def test_environment_variables_override_the_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("REPORTQA_DOCS", f"{tmp_path / 'a.txt'}:{tmp_path / 'b.txt'}")
    monkeypatch.setenv("REPORTQA_CHUNK_CHARS", "120")
    monkeypatch.setenv("REPORTQA_EVAL_TAB", "0")
    monkeypatch.setenv("REPORTQA_CHROMA_URL", "http://127.0.0.1:8000")
    settings = Settings.from_env()
    assert settings.documents == (Path(tmp_path / "a.txt"), Path(tmp_path / "b.txt"))
    assert settings.chunk_chars == 120 and not settings.eval_tab
    assert settings.chroma_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("name", "value"),
    [("REPORTQA_PORT", "http"), ("REPORTQA_PORT", "70000"), ("REPORTQA_TOP_K", "0"), ("REPORTQA_CHUNK_CHARS", "1e3")],
)
def test_an_unusable_number_names_its_variable(monkeypatch, name, value):
    from rag.settings import SettingsError

    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name) as raised:
        Settings.from_env()
    assert "整数" in str(raised.value) and value in str(raised.value)


def test_numbers_in_range_are_taken(monkeypatch):
    monkeypatch.setenv("REPORTQA_PORT", "8123")
    monkeypatch.setenv("REPORTQA_TOP_K", "7")
    settings = Settings.from_env()
    assert (settings.port, settings.top_k) == (8123, 7)

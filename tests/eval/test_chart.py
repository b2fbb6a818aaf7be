"""The chart's Chinese labels: drawn with a real CJK font, even one installed after matplotlib wrote
its font cache (fonts-wqy-microhei arrives with `make test`, often after `make serve` imported
matplotlib), and in English when the machine has no such font at all."""

from __future__ import annotations

import copy
import subprocess
import sys
import warnings

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from eval import chart
from rag.resources import PROJECT_ROOT

ACCURACY = {"hybrid": {"number": 0.9, "trap_year": 0.5}, "bm25": {"number": 0.8, "trap_year": 0.25}}
COUNTS = {"number": 10, "trap_year": 4}


@pytest.fixture(autouse=True)
def font_chosen_afresh():
    """cjk_font() remembers its answer for the process; each test asks anew."""
    chart.cjk_font.cache_clear()
    yield
    chart.cjk_font.cache_clear()


def is_cjk(entry: font_manager.FontEntry) -> bool:
    return entry.name in chart.CJK_FONT_NAMES


@pytest.fixture
def stale_font_list(monkeypatch) -> font_manager.FontManager:
    """matplotlib's font list as a cache written before the CJK font was installed: without it."""
    current = font_manager.fontManager.ttflist
    cjk_files = {entry.fname for entry in current if is_cjk(entry)}  # every face of them (wqy's .ttc has two)
    stale = copy.copy(font_manager.fontManager)
    stale.ttflist = [entry for entry in current if entry.fname not in cjk_files]
    monkeypatch.setattr(font_manager, "fontManager", stale)
    return stale


def missing_glyphs_when_drawing(tmp_path) -> list[str]:
    """The warnings matplotlib gives for characters its font cannot draw (they come out as boxes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart.draw_accuracy_by_type(ACCURACY, COUNTS, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def draws_chinese(font: font_manager.FontProperties) -> bool:
    face = FT2Font(font.get_file())
    return all(face.get_char_index(ord(c)) for c in "年份陷阱回答准确率")


def test_a_font_installed_after_the_font_cache_was_written_is_found_on_disk(stale_font_list):
    assert not any(map(is_cjk, stale_font_list.ttflist))
    font = chart.cjk_font()
    assert font is not None, "no CJK font on disk: install fonts-wqy-microhei (`make test` does)"
    assert draws_chinese(font)
    assert any(map(is_cjk, stale_font_list.ttflist))  # added to matplotlib's list for the process


def test_the_chart_draws_its_chinese_labels_with_real_glyphs_despite_a_stale_cache(tmp_path, stale_font_list):
    assert chart.cjk_font() is not None, "no CJK font on disk: install fonts-wqy-microhei (`make test` does)"
    assert missing_glyphs_when_drawing(tmp_path) == []


def test_without_any_chinese_font_the_chart_falls_back_to_english_labels(tmp_path, stale_font_list, monkeypatch):
    monkeypatch.setattr(chart, "font_files_on_disk", lambda: [])
    assert chart.cjk_font() is None
    assert chart.type_label("trap_year", chinese=False) == "trap_year"
    assert missing_glyphs_when_drawing(tmp_path) == []  # English only: nothing drawn as boxes


def test_chinese_labels_name_the_type_in_both_languages():
    assert chart.type_label("trap_year", chinese=True) == "年份陷阱\ntrap_year"
    assert chart.type_label("a_new_type", chinese=True) == "a_new_type\na_new_type"


def test_a_font_file_freetype_cannot_read_is_skipped(tmp_path, stale_font_list, monkeypatch):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    installed = chart.font_files_on_disk()
    monkeypatch.setattr(chart, "font_files_on_disk", lambda: [str(broken), *installed])
    added = chart.add_fonts_missing_from_the_cache()
    assert str(broken) not in added
    assert any(map(is_cjk, stale_font_list.ttflist))  # the good files after it were still added


STALE_CACHE_CHECK = """
from matplotlib import font_manager
from eval.chart import CJK_FONT_NAMES, cjk_font
assert not any(e.name in CJK_FONT_NAMES for e in font_manager.fontManager.ttflist), "the cache is not stale"
font = cjk_font()
print(font.get_file() if font else "none")
"""


@pytest.mark.slow
def test_a_real_stale_font_cache_on_disk_does_not_hide_the_font(tmp_path):
    """Two processes, as on a fresh machine: the first writes matplotlib's cache while the system's
    fonts are hidden from it; the second reads that cache, then draws."""
    env = {"MPLCONFIGDIR": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env={**env, "MPL_IGNORE_SYSTEM_FONTS": "1"},
        check=True,
        timeout=120,
    )
    assert list(tmp_path.glob("fontlist-*.json")), "matplotlib wrote no font cache"
    result = subprocess.run([sys.executable, "-c", STALE_CACHE_CHECK], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    assert found != "none", "no CJK font on disk: install fonts-wqy-microhei (`make test` does)"
    assert draws_chinese(font_manager.FontProperties(fname=found))

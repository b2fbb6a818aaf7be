"""The report's chart: answer accuracy per question type, one bar per configuration.

Drawn on a bare Figure with the Agg canvas (no pyplot): no display needed, and no global figure
state shared between the web chat's threads.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

TYPE_NAMES_ZH = {
    "number": "数字",
    "fact": "事实",
    "list": "列举",
    "target": "目标",
    "trap_year": "年份陷阱",
    "unanswerable": "应拒答",
    "multi": "多问",
}
CJK_FONT_NAMES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
)


@cache
def cjk_font() -> font_manager.FontProperties | None:
    """A font with Chinese glyphs (fonts-wqy-microhei on Debian), or None when the machine has none.

    matplotlib lists the machine's fonts once, in a cache file written the first time it is imported,
    and never looks again: a font installed afterwards (`make serve` before `make test` installs
    fonts-wqy-microhei) stays unknown to it, and Chinese labels come out as boxes. So when it knows no
    Chinese font, the fonts on disk now are looked at, and those missing from its list added.
    """
    font = _known_cjk_font()
    if font is None:
        add_fonts_missing_from_the_cache()
        font = _known_cjk_font()
    return font


def _known_cjk_font() -> font_manager.FontProperties | None:
    for wanted in CJK_FONT_NAMES:
        for entry in font_manager.fontManager.ttflist:
            if entry.name == wanted:
                return font_manager.FontProperties(fname=entry.fname)
    return None


def font_files_on_disk() -> list[str]:
    """Every font file installed now: fontconfig's list and the usual folders (/usr/share/fonts …)."""
    return font_manager.findSystemFonts()


def add_fonts_missing_from_the_cache() -> list[str]:
    """Add to matplotlib's font list the font files on disk it does not know; returns them."""
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = []
    for path in font_files_on_disk():
        if path in known:
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError):  # a file FreeType cannot read: matplotlib's own scan skips those too
            continue
        added.append(path)
    return added


def type_label(type_: str, chinese: bool) -> str:
    return f"{TYPE_NAMES_ZH.get(type_, type_)}\n{type_}" if chinese else type_


def draw_accuracy_by_type(accuracy: dict[str, dict[str, float]], counts: dict[str, int], path: Path) -> None:
    """accuracy: configuration → type → share correct; counts: type → items. Writes a PNG to `path`."""
    types = list(counts)
    font = cjk_font()
    figure = Figure(figsize=(10, 4.8), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    width = 0.8 / max(len(accuracy), 1)
    for n, (configuration, by_type) in enumerate(accuracy.items()):
        positions = [t + (n - (len(accuracy) - 1) / 2) * width for t in range(len(types))]
        bars = axes.bar(positions, [by_type.get(t, 0.0) for t in types], width, label=configuration)
        axes.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    axes.set_xticks(
        range(len(types)), [f"{type_label(t, font is not None)}\n(n={counts[t]})" for t in types], fontproperties=font
    )
    axes.set_ylim(0, 1.22)  # headroom above the 1.00 bars for the legend
    axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.set_ylabel("accuracy")
    title = "各题型回答准确率 / answer accuracy by question type" if font else "answer accuracy by question type"
    axes.set_title(title, fontproperties=font)
    axes.legend(loc="upper center", ncols=max(len(accuracy), 1), fontsize=8, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    figure.savefig(path)

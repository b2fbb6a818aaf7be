"""The "数字速览" tab: every figure of the report at a glance, each one a click away from its sentence.

From the top: the report year's main targets as cards, a bar chart of last year's growth rates beside
this year's targets, then the whole table grouped by section, with a search box, filters and a CSV
download of what the filters show. Every string of the report goes through `html.escape`; the bars
are CSS widths and every source opens as <details>, so nothing is fetched and nothing needs script.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from html import escape
from pathlib import Path

import gradio as gr

from ingest.chunk import SECTION_SEPARATOR
from rag.atomic import staged_directory
from rag.figures import (
    KIND_LABELS,
    STATUS_LABELS,
    Figure,
    FigureFilter,
    FigureFilterError,
    GrowthPair,
    filter_figures,
    growth_pairs,
    headline_targets,
    sections_of,
    to_csv,
)

CSV_NAME = "历城区2023年政府工作报告_数字速览.csv"
INTRO = (
    "报告里的每一个数字：先看今年的主要目标、去年实际与今年目标的对比，再在下方搜索、筛选全部数字。点击任一数字即可查看原文出处。"
)
CLAUSE_BREAKS = "，。；：、"
# "Everything" in a dropdown: FigureFilter reads an empty field as no restriction.
ALL = ""


# --------------------------------------------------------------------------- one figure


def _anchor(source: str, indicator: str) -> tuple[int, int] | None:
    """The span of the longest piece (two characters or more) of `indicator` that `source` contains."""
    for length in range(len(indicator), 1, -1):
        for start in range(len(indicator) - length + 1):
            at = source.find(indicator[start : start + length])
            if at >= 0:
                return at, at + length
    return None


def figure_span(figure: Figure) -> tuple[int, int] | None:
    """Where the figure's words stand in its sentence. A sentence can say "6%" of three indicators, and
    "4%" is also the tail of "14%"; the fact index keeps no offset, so the words around decide: of the
    places `text` is written as a whole number, the first after the indicator in the same clause
    ("固定资产投资增长6%"), else the nearest before it in the clause ("5个输变电工程"), else the nearest."""
    source, text = figure.source, figure.text
    # A number is whole when no digit touches its own digits: "4%" not in "14%", but "1270个" before "5G".
    edges = ("(?<![0-9.])" if text[:1].isdigit() else "", "(?![0-9.])" if text[-1:].isdigit() else "")
    starts = [m.start() for m in re.finditer(edges[0] + re.escape(text) + edges[1], source)]
    if not starts:
        return None
    anchor = _anchor(source, figure.indicator)
    if anchor is None:
        return starts[0], starts[0] + len(text)

    def preference(at: int) -> tuple[bool, bool, int]:
        before = at + len(text) <= anchor[0]
        between = source[at + len(text) : anchor[0]] if before else source[anchor[1] : at]
        return any(c in CLAUSE_BREAKS for c in between), before, len(between)

    best = min(starts, key=preference)
    return best, best + len(text)


def sentence_html(figure: Figure) -> str:
    """The source sentence, escaped, with the figure's own words in <mark>."""
    span = figure_span(figure)
    if span is None:
        return escape(figure.source)
    start, end = span
    source = figure.source
    return f"{escape(source[:start])}<mark>{escape(source[start:end])}</mark>{escape(source[end:])}"


def source_html(figure: Figure) -> str:
    """What opens under a figure: its sentence with the figure marked, the section path and the page."""
    return (
        f'<div class="rqa-fig-source"><p class="rqa-fig-sentence">{sentence_html(figure)}</p>'
        f'<p class="rqa-fig-where">{escape(figure.section)} · 第{figure.page}页</p></div>'
    )


def status_badge(figure: Figure) -> str:
    """'2022年已完成', '2022年预计' or '2023年目标', coloured by status: an estimate never passes for a result."""
    return f'<span class="rqa-fig-badge rqa-fig-{escape(figure.status)}">{escape(figure.status_label)}</span>'


def _kind(figure: Figure) -> str:
    return escape(KIND_LABELS.get(figure.kind, figure.kind))


# --------------------------------------------------------------------------- cards and chart


def headline_cards_html(targets: list[Figure]) -> str:
    """The main targets as cards: indicator, figure as written, kind; a click shows the sentence."""
    if not targets:
        return ""
    cards = "".join(
        f'<details class="rqa-fig-card"><summary><span class="rqa-fig-card-name">{escape(f.indicator)}</span>'
        f'<span class="rqa-fig-card-value">{escape(f.text)}</span>'
        f'<span class="rqa-fig-card-note">{_kind(f)} · {escape(f.status_label)}</span>'
        f'<span class="rqa-fig-open">查看原文</span></summary>{source_html(f)}</details>'
        for f in targets
    )
    title = f"{targets[0].year}年主要预期目标"
    return f'<section class="rqa-fig"><h2 class="rqa-fig-title">{title}</h2><div class="rqa-fig-cards">{cards}</div></section>'


def _rate(figure: Figure) -> float:
    try:
        return abs(float(figure.value))
    except ValueError:  # a growth figure always has a number; a bar of nothing beats a broken tab
        return 0.0


def _bar(figure: Figure, scale: float) -> str:
    share = _rate(figure) / scale if scale else 0.0
    note = f"<small>（{escape(STATUS_LABELS[figure.status])}）</small>" if figure.status == "estimate" else ""
    return (
        f'<span class="rqa-fig-bar-row"><span class="rqa-fig-bar-year">{figure.year}</span>'
        f'<span class="rqa-fig-bar rqa-fig-{escape(figure.status)}" style="--rqa-share:{share:.3f}"></span>'
        f'<span class="rqa-fig-bar-value">{escape(figure.text)}{note}</span></span>'
    )


def growth_chart_html(pairs: list[GrowthPair]) -> str:
    """Two bars an indicator, last year's result (an estimate striped and labelled 预计) and this year's
    target, on one scale, labelled with the figures as written; a click on an indicator shows both sentences."""
    if not pairs:
        return ""
    scale = max(_rate(f) for pair in pairs for f in (pair.result, pair.target))
    result_year, target_year = pairs[0].result.year, pairs[0].target.year
    rows = "".join(
        f'<details class="rqa-fig-pair"><summary><span class="rqa-fig-pair-name">{escape(p.indicator)}</span>'
        f"{_bar(p.result, scale)}{_bar(p.target, scale)}</summary>"
        f"{source_html(p.result)}{source_html(p.target)}</details>"
        for p in pairs
    )
    legend = (
        f'<div class="rqa-fig-legend"><span><i class="rqa-fig-swatch rqa-fig-achieved"></i>{result_year}年实际</span>'
        f'<span><i class="rqa-fig-swatch rqa-fig-estimate"></i>{result_year}年预计</span>'
        f'<span><i class="rqa-fig-swatch rqa-fig-target"></i>{target_year}年目标</span></div>'
    )
    return (
        f'<section class="rqa-fig rqa-fig-chart"><h2 class="rqa-fig-title">{result_year}年实际与{target_year}年目标（%）</h2>'
        f'<p class="rqa-fig-hint">增长或改善的幅度，数字照录报告原文；点击指标查看原文。</p>'
        f'{legend}<div class="rqa-fig-pairs">{rows}</div></section>'
    )


def overview_html(figures: list[Figure]) -> str:
    """The top of the tab, the same whatever the filters: what it is, the main targets, the chart."""
    return (
        f'<p class="rqa-fig-intro">{INTRO}</p>{headline_cards_html(headline_targets(figures))}'
        f'{growth_chart_html(growth_pairs(figures))}<h2 class="rqa-fig-title rqa-fig">全部数字</h2>'
    )


# --------------------------------------------------------------------------- the table


def count_text(shown: int, total: int) -> str:
    return f"共{total}项数字" if shown == total else f"筛选出{shown}项（共{total}项）"


def _row(figure: Figure) -> str:
    return (
        f'<details class="rqa-fig-row"><summary><span class="rqa-fig-indicator">{escape(figure.indicator)}</span>'
        f'<span class="rqa-fig-value">{escape(figure.text)}</span>{status_badge(figure)}'
        f'<span class="rqa-fig-meta">{_kind(figure)} · 第{figure.page}页</span></summary>{source_html(figure)}</details>'
    )


def figure_table_html(figures: list[Figure], total: int) -> str:
    """The figures grouped by report part, then by the rest of their section path, in reading order."""
    if not figures:
        groups = '<p class="rqa-fig-empty">没有符合条件的数字，请换个词或放宽筛选条件。</p>'
    else:
        parts, html = None, []
        for section in sections_of(figures):
            part, *rest = section.split(SECTION_SEPARATOR)
            if part != parts:
                html.append(f'<h3 class="rqa-fig-part">{escape(part)}</h3>')
                parts = part
            if rest:
                html.append(f'<h4 class="rqa-fig-section">{escape(SECTION_SEPARATOR.join(rest))}</h4>')
            html.append(f'<div class="rqa-fig-rows">{"".join(_row(f) for f in figures if f.section == section)}</div>')
        groups = "".join(html)
    return f'<div class="rqa-fig rqa-fig-table"><p class="rqa-fig-count">{count_text(len(figures), total)}</p>{groups}</div>'


# --------------------------------------------------------------------------- filters and download


def year_choices(figures: list[Figure]) -> list[tuple[str, str]]:
    return [("全部年份", ALL)] + [(f"{year}年", str(year)) for year in sorted({f.year for f in figures})]


def status_choices(figures: list[Figure]) -> list[tuple[str, str]]:
    present = {f.status for f in figures}
    return [("全部状态", ALL)] + [(label, status) for status, label in STATUS_LABELS.items() if status in present]


def section_choices(figures: list[Figure]) -> list[tuple[str, str]]:
    """Every report part followed by its second-level sections, each labelled by its own name
    ("（六）增进民生福祉…"); a value is the path prefix FigureFilter matches."""
    prefixes = dict.fromkeys(
        SECTION_SEPARATOR.join(section.split(SECTION_SEPARATOR)[:depth]) for section in sections_of(figures) for depth in (1, 2)
    )
    return [("全部章节", ALL)] + [(prefix.split(SECTION_SEPARATOR)[-1], prefix) for prefix in prefixes]


def download_label(shown: int, total: int) -> str:
    """The button says which rows the file holds: all of them, or what the filters show."""
    return f"下载CSV（全部{total}项）" if shown == total else f"下载CSV（筛选后{shown}项）"


def write_csv(figures: list[Figure], folder: Path) -> Path:
    """The figures as CSV (UTF-8 with BOM) in `folder`, in a sub-folder named by the content: the same
    selection gives the same file, and a file is whole before anyone can be served it."""
    data = to_csv(figures).encode("utf-8")
    final = Path(folder) / hashlib.sha256(data).hexdigest()[:16]
    if not (final / CSV_NAME).is_file():
        with staged_directory(final) as staging:
            (staging / CSV_NAME).write_bytes(data)
    return final / CSV_NAME


def figures_filter(figures: list[Figure], folder: Path):
    """The filters' change handler: (search words, year, status, section) → (table HTML, download button)."""
    total = len(figures)

    def apply(query: str, year: str, status: str, section: str):
        try:
            selection = FigureFilter(
                year=int(year) if year else None, status=status or ALL, section=section or ALL, query=query or ""
            )
        except FigureFilterError as error:
            raise gr.Error(str(error)) from None
        except ValueError:
            raise gr.Error("年份应为数字，如 2023 / the year must be a number such as 2023") from None
        shown = filter_figures(figures, selection)
        button = gr.update(label=download_label(len(shown), total), value=write_csv(shown, folder))
        return figure_table_html(shown, total), button

    return apply


def build_figures_tab(figures: list[Figure], downloads: Path | None = None) -> None:
    """The tab's components and events; call inside `with gr.Tab(...)`. CSV files go to `downloads`
    (a new temp folder by default, where Gradio may serve files from)."""
    folder = Path(downloads or tempfile.mkdtemp(prefix="reportqa-figures-"))
    total = len(figures)
    html = dict(js_on_load=None)  # Gradio's default adds a click listener; these blocks have no events
    gr.HTML(overview_html(figures), elem_id="rqa-fig-overview", **html)
    with gr.Row(elem_id="rqa-fig-filters", equal_height=True):
        query = gr.Textbox(
            label="搜索", placeholder="指标或原文中的词，如：学位", elem_id="rqa-fig-search", scale=3, min_width=180
        )
        dropdown = dict(filterable=False, scale=1, min_width=140)
        year = gr.Dropdown(year_choices(figures), value=ALL, label="年份", elem_id="rqa-fig-year", **dropdown)
        status = gr.Dropdown(status_choices(figures), value=ALL, label="状态", elem_id="rqa-fig-status", **dropdown)
        section = gr.Dropdown(
            section_choices(figures), value=ALL, label="章节", elem_id="rqa-fig-section", **{**dropdown, "scale": 3}
        )
    download = gr.DownloadButton(
        download_label(total, total),
        value=write_csv(figures, folder),
        size="sm",
        variant="secondary",
        elem_id="rqa-fig-download",
    )
    table = gr.HTML(figure_table_html(figures, total), elem_id="rqa-fig-table", **html)
    apply = figures_filter(figures, folder)
    for control in (query, year, status, section):
        control.change(
            apply,
            [query, year, status, section],
            [table, download],
            api_visibility="private",
            show_progress="hidden",
            trigger_mode="always_last",
        )

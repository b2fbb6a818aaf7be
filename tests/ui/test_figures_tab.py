"""The 数字速览 tab without a server: its HTML builders, the filters' handler and the CSV it serves.

Hand-made figures show one behaviour each; the report's own figures (from the session's fake index,
whose fact index is the real one) show what a citizen gets: 7 target cards, 8 pairs in the chart, 233 rows.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from types import SimpleNamespace

import gradio as gr
import pytest

from rag.figures import Figure, figure_records, growth_pairs, headline_targets
from tests.ui.test_render import IMG, SCRIPT, Parsed
from ui.chat import build_blocks
from ui.figures_tab import (
    CSV_NAME,
    download_label,
    figure_span,
    figure_table_html,
    figures_filter,
    growth_chart_html,
    headline_cards_html,
    section_choices,
    sentence_html,
    source_html,
    status_badge,
    write_csv,
)

TARGETS = "地区生产总值增长6%，一般公共预算收入增长11%，固定资产投资增长6%，社会消费品零售总额增长6%。"
ESTIMATES = "预计实现地区生产总值1265亿元，固定资产投资增长14%，城乡居民人均可支配收入分别增长4%和7%。"


def figure(**fields) -> Figure:
    defaults = dict(
        indicator="固定资产投资",
        value="6",
        unit="%",
        text="6%",
        qualifier="",
        kind="growth",
        year=2023,
        status="target",
        section="二、2023年主要工作安排 > 今年全区经济社会发展的主要预期目标是",
        page=14,
        source=TARGETS,
        chunk_id="c1",
        pair_key="固定资产投资",
    )
    return Figure(**{**defaults, **fields})


@pytest.fixture(scope="module")
def report_figures(fake_index) -> list[Figure]:
    return figure_records(fake_index.facts)


def marked(html: str) -> str:
    """The text inside the <mark> of an HTML fragment."""
    return html.split("<mark>")[1].split("</mark>")[0]


# --------------------------------------------------------------------------- one figure and its source


def test_the_mark_falls_on_the_figure_of_its_own_indicator_when_a_sentence_repeats_it():
    # "6%" stands three times in the sentence: the one after "固定资产投资增长" is this figure's.
    start, end = figure_span(figure())
    assert TARGETS[:end].endswith("固定资产投资增长6%")
    assert sentence_html(figure()).startswith("地区生产总值增长6%，一般公共预算收入增长11%，固定资产投资增长<mark>6%</mark>，")
    retail = figure(indicator="社会消费品零售总额")
    assert TARGETS[: figure_span(retail)[1]].endswith("社会消费品零售总额增长6%")


def test_a_figure_is_never_marked_inside_a_longer_number():
    # "4%" is also the tail of "14%"; the indicator is not written whole ("城乡居民…分别增长4%").
    urban = figure(indicator="城镇居民人均可支配收入", value="4", text="4%", year=2022, status="estimate", source=ESTIMATES)
    html = sentence_html(urban)
    assert "固定资产投资增长14%" in html and "分别增长<mark>4%</mark>和7%" in html


def test_every_figure_of_the_report_is_marked_in_its_sentence(report_figures):
    # "1270个" stands before "5G基站": a digit after a figure that ends in a unit does not hide it.
    for f in report_figures:
        assert marked(sentence_html(f)) == escape(f.text), f


def test_a_figure_its_sentence_does_not_hold_is_shown_unmarked():
    html = sentence_html(figure(text="99%"))
    assert "<mark>" not in html and html == TARGETS


def test_the_source_shows_sentence_section_and_page():
    parsed = Parsed(source_html(figure()))
    assert TARGETS in parsed.text
    assert "二、2023年主要工作安排 > 今年全区经济社会发展的主要预期目标是" in parsed.text
    assert "第14页" in parsed.text


def test_report_strings_come_out_as_text():
    hostile = figure(indicator=f"指标{SCRIPT}", text=IMG, source=f"原文{IMG}结束", section=f"章节{SCRIPT}")
    for html in (source_html(hostile), headline_cards_html([hostile]), figure_table_html([hostile], 1)):
        parsed = Parsed(html)
        assert not parsed.names() & {"script", "img"}
        assert IMG in parsed.text and "章节" + SCRIPT in parsed.text
    assert marked(source_html(hostile)) == "&lt;img src=x onerror=alert(1)&gt;"


def test_an_estimate_is_labelled_so_and_never_as_a_result():
    estimate = Parsed(status_badge(figure(year=2022, status="estimate")))
    achieved = Parsed(status_badge(figure(year=2022, status="achieved")))
    assert estimate.text == "2022年预计" and achieved.text == "2022年已完成"
    assert estimate.tags[0][1]["class"] != achieved.tags[0][1]["class"]


# --------------------------------------------------------------------------- cards and chart


def test_the_main_targets_are_cards_that_open_on_their_sentence(report_figures):
    html = headline_cards_html(headline_targets(report_figures))
    parsed = Parsed(html)
    assert len(parsed.with_class("rqa-fig-card")) == 7
    assert "2023年主要预期目标" in parsed.text and "5.5%以上" in parsed.text
    assert html.count("<mark>") == 7 and "第14页" in parsed.text
    assert headline_cards_html([]) == ""


def test_the_chart_pairs_last_years_result_with_this_years_target_on_one_scale(report_figures):
    pairs = growth_pairs(report_figures)
    parsed = Parsed(growth_chart_html(pairs))
    assert len(parsed.with_class("rqa-fig-pair")) == 8
    bars = parsed.with_class("rqa-fig-bar")
    assert len(bars) == 16
    shares = [float(bar["style"].removeprefix("--rqa-share:")) for bar in bars]
    assert max(shares) == 1.0 and all(0 < share <= 1 for share in shares)
    assert "40%以上" in parsed.text and "5.5%以上" in parsed.text  # values as the report writes them
    legend = Parsed(growth_chart_html(pairs).split('<div class="rqa-fig-pairs">')[0]).text
    assert all(label in legend for label in ("2022年实际", "2022年预计", "2023年目标"))


def test_an_estimated_result_in_the_chart_is_striped_and_says_so():
    result = figure(indicator="固定资产投资", value="14", text="14%", year=2022, status="estimate", source=ESTIMATES)
    parsed = Parsed(growth_chart_html([SimpleNamespace(indicator="固定资产投资", result=result, target=figure())]))
    estimate, target = parsed.with_class("rqa-fig-bar")
    assert "rqa-fig-estimate" in estimate["class"] and "rqa-fig-target" in target["class"]
    assert "14%（预计）" in parsed.text and "已完成" not in parsed.text
    assert estimate["style"] == "--rqa-share:1.000" and target["style"] == "--rqa-share:0.429"


# --------------------------------------------------------------------------- the table, filters and CSV


def test_the_table_groups_figures_by_part_then_section_in_reading_order(report_figures):
    parsed = Parsed(figure_table_html(report_figures, len(report_figures)))
    assert len(parsed.with_class("rqa-fig-row")) == 233
    assert "共233项数字" in parsed.text
    assert parsed.text.index("一、2022年工作回顾") < parsed.text.index("二、2023年主要工作安排")
    assert len(parsed.with_class("rqa-fig-part")) == 2


def test_an_empty_selection_says_so():
    parsed = Parsed(figure_table_html([], 233))
    assert "没有符合条件的数字" in parsed.text and "筛选出0项（共233项）" in parsed.text


def test_the_filters_narrow_the_table_and_the_download(report_figures, tmp_path):
    apply = figures_filter(report_figures, tmp_path)
    html, button = apply("学位", "", "", "")
    rows = Parsed(html).with_class("rqa-fig-row")
    assert 0 < len(rows) < 233 and "学位" in html
    assert button["label"] == download_label(len(rows), 233) == f"下载CSV（筛选后{len(rows)}项）"
    csv = button["value"].read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].startswith("indicator,value,unit,text") and len(csv) == len(rows) + 1

    html, button = apply("", "2023", "target", "二、2023年主要工作安排")
    parsed = Parsed(html)
    rows = parsed.with_class("rqa-fig-row")
    assert len(parsed.with_class("rqa-fig-target")) == len(rows) > 0  # every row's badge: 2023年目标
    assert not parsed.with_class("rqa-fig-achieved") and not parsed.with_class("rqa-fig-estimate")

    _, everything = apply("", "", "", "")
    assert everything["label"] == "下载CSV（全部233项）"


def test_every_section_choice_selects_the_figures_under_it(report_figures, tmp_path):
    apply = figures_filter(report_figures, tmp_path)
    choices = section_choices(report_figures)
    assert choices[0] == ("全部章节", "") and ("（六）增进民生福祉，持续优化公共服务供给" in dict(choices))
    for label, prefix in choices[1:]:
        html, _ = apply("", "", "", prefix)
        assert 0 < len(Parsed(html).with_class("rqa-fig-row")) < 233, label


def test_bad_filter_values_get_a_clear_message(report_figures, tmp_path):
    apply = figures_filter(report_figures, tmp_path)
    with pytest.raises(gr.Error, match="status"):
        apply("", "", "done", "")
    with pytest.raises(gr.Error, match="年份应为数字"):
        apply("", "二〇二三", "", "")


def test_the_csv_opens_in_excel_with_its_chinese_and_is_written_once_per_content(report_figures, tmp_path):
    path = write_csv(report_figures[:3], tmp_path)
    assert path.name == CSV_NAME
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "各类减税退税降费政策" in data.decode("utf-8")
    assert write_csv(report_figures[:3], tmp_path) == path
    assert write_csv(report_figures[:2], tmp_path) != path


def test_the_figures_tab_is_the_second_tab_and_adds_no_public_api(fake_index):
    stand_in = SimpleNamespace(answer=lambda question, history=None: None, retriever=SimpleNamespace(index=fake_index))
    blocks = build_blocks(stand_in)
    assert [block.label for block in blocks.blocks.values() if isinstance(block, gr.Tab)][:2] == ["问答", "数字速览"]
    assert {d.api_name for d in blocks.fns.values() if d.api_visibility == "public"} == {"ask", "retrieve"}


def test_a_figure_without_its_indicator_in_the_sentence_marks_the_first_whole_occurrence():
    loose = replace(figure(), indicator="完全不同的名字")
    assert marked(sentence_html(loose)) == "6%" and sentence_html(loose).startswith("地区生产总值增长<mark>6%</mark>")

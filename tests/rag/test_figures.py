"""数字速览 records (rag/figures.py): every figure of the report as data, the same from the index and the file.

Extraction itself (values, units, qualifiers, pages, pairing) is pinned by hand in tests/ingest/test_facts.py;
here: what the table holds, how it is narrowed, what its exports look like.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from rag.figures import (
    FIELDS,
    UTF8_BOM,
    Figure,
    FigureFilter,
    FigureFilterError,
    figure_records,
    figures_of_reports,
    filter_figures,
    growth_pairs,
    headline_targets,
    sections_of,
    to_csv,
)
from rag.settings import DEFAULT_REPORT

PLAN = "二、2023年主要工作安排"
REVIEW = "一、2022年工作回顾"
NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:%|[万亿]?(?:元|美元|个|家|户|人|亩|处|条|所|项|件|场|公里|吨|天|套|座|位))")


@pytest.fixture(scope="module")
def figures() -> list[Figure]:
    return figures_of_reports([DEFAULT_REPORT])


def test_the_table_holds_most_numbers_of_the_report_that_carry_a_unit(figures) -> None:
    written = len(NUMBER_WITH_UNIT.findall(DEFAULT_REPORT.read_text(encoding="utf-8").replace(" ", "")))
    assert len(figures) >= 150
    assert len(figures) >= 0.75 * written, (len(figures), written)


def test_every_figure_is_written_in_its_source_sentence_and_the_sentence_in_the_report(figures) -> None:
    report = re.sub(r"\s", "", DEFAULT_REPORT.read_text(encoding="utf-8"))
    for figure in figures:
        assert figure.text in figure.source, figure
        assert figure.value in figure.text, figure
        # the sentence may cross a page break of the PDF text; the figure's own words never do
        assert figure.text in report, figure


def test_the_2023_main_targets_are_the_seven_of_the_targets_sentence(figures) -> None:
    targets = headline_targets(figures)
    assert [(f.indicator, f.text) for f in targets] == [
        ("地区生产总值", "6%"),
        ("一般公共预算收入", "11%"),
        ("固定资产投资", "6%"),
        ("规模以上工业增加值", "9%"),
        ("社会消费品零售总额", "6%"),
        ("城镇居民人均可支配收入", "5.5%"),
        ("农村人均可支配收入", "5.5%以上"),
    ]
    assert {(f.year, f.status, f.kind, f.page) for f in targets} == {(2023, "target", "growth", 14)}
    assert targets[-1].qualifier == "以上"


def test_growth_rates_are_paired_result_beside_target(figures) -> None:
    pairs = {p.indicator: (p.result.text, p.result.status, p.target.text) for p in growth_pairs(figures)}
    assert pairs["一般公共预算收入"] == ("6.8%", "achieved", "11%")
    assert pairs["固定资产投资"] == ("14%", "estimate", "6%")  # 预计: an estimate, never shown as a result
    assert pairs["农村居民人均可支配收入"] == ("7%", "estimate", "5.5%以上")
    assert pairs["社会消费品零售总额"] == ("3%", "achieved", "6%")
    assert len(pairs) >= 7
    for pair in growth_pairs(figures):
        assert (pair.result.year, pair.target.year, pair.target.status) == (2022, 2023, "target")
        assert pair.result.unit == pair.target.unit == "%"


@pytest.mark.parametrize(
    "key", ["地区生产总值", "一般公共预算收入", "固定资产投资", "城镇就业", "城乡公益性岗位", "中小学、幼儿园", "森林抚育"]
)
def test_the_same_indicator_in_both_years_shares_a_pair_key(figures, key: str) -> None:
    paired = [f for f in figures if f.pair_key == key]
    assert {f.year for f in paired} == {2022, 2023}, key


def test_filters_narrow_by_year_status_section_and_words(figures) -> None:
    targets = filter_figures(figures, FigureFilter(year=2023, status="target"))
    assert targets and all(f.year == 2023 and f.status == "target" for f in targets)
    assert set(headline_targets(figures)) <= set(targets)
    estimates = filter_figures(figures, FigureFilter(status="estimate"))
    assert {f.indicator for f in estimates} >= {"地区生产总值", "规上工业增加值"}
    assert all(f.year == 2022 for f in estimates)
    in_plan = filter_figures(figures, FigureFilter(section=PLAN))
    assert in_plan and all(f.section.startswith(PLAN) for f in in_plan)
    schools = filter_figures(figures, FigureFilter(query="学位"))
    assert [(f.indicator, f.text, f.year) for f in schools if f.indicator == "新增学位"] == [("新增学位", "1.7万个", 2022)]
    assert filter_figures(figures, FigureFilter(query="学位 2099")) == []  # every word must be found
    assert filter_figures(figures, FigureFilter()) == figures


def test_a_status_that_does_not_exist_is_refused_with_a_clear_message() -> None:
    with pytest.raises(FigureFilterError, match="achieved, estimate, target"):
        FigureFilter(status="done")


def test_the_table_is_grouped_by_section_in_reading_order(figures) -> None:
    sections = sections_of(figures)
    assert sections[0].startswith(REVIEW) and sections[-1].startswith(PLAN)
    assert len(sections) == len(set(sections))


def test_the_csv_opens_in_excel_with_the_chinese_intact(figures) -> None:
    text = to_csv(figures)
    assert text.startswith(UTF8_BOM)
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == FIELDS
    assert len(rows) == len(figures)
    assert rows[0] == {name: str(value) for name, value in figures[0].to_dict().items()}
    assert any(row["indicator"] == "新增学位" and row["text"] == "1.7万个" for row in rows)


def test_the_json_record_names_its_fields_plainly(figures) -> None:
    record = figures[0].to_dict()
    assert {"indicator", "value", "unit", "year", "status", "section", "page", "source", "chunk_id"} <= set(record)


def test_the_index_gives_the_same_records_as_the_report_file(fake_index, figures) -> None:
    assert figure_records(fake_index.facts) == figures
    assert {f.chunk_id for f in figures} <= set(fake_index.by_id)

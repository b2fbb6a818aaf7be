"""Understanding a question: the year it asks about and the report's words for the citizen's words."""

from __future__ import annotations

import pytest

from rag.retrieval.query import asked_years, understand, year_intent
from rag.text.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()
REPORT_YEAR = 2023


def year_of(question: str) -> int | None:
    return year_intent(question, REPORT_YEAR, VOCABULARY)


@pytest.mark.parametrize(
    "question, year",
    [
        ("去年历城GDP多少？", 2022),
        ("上年新增了多少学位", 2022),
        ("过去的一年历城建了几个公园", 2022),
        ("今年计划新建多少所学校", 2023),
        ("本年度要修多少路", 2023),
        ("2022年新增了多少学位", 2022),
        ("2023年新增学位多少", 2023),
        ("22年粮食总产量多少", 2022),
        ("23年要开工几个新项目", 2023),
        ("前年的数字呢", 2021),
    ],
)
def test_named_years_and_relative_year_words_set_the_year(question: str, year: int) -> None:
    assert year_of(question) == year


def test_the_last_year_named_wins() -> None:
    assert year_of("去年新增了1.7万个学位，今年呢？") == 2023
    assert year_of("今年的目标定了，去年完成得怎么样") == 2022


def test_relative_years_follow_the_report_year() -> None:
    assert year_intent("去年GDP多少", 2030, VOCABULARY) == 2029


def test_counts_of_years_are_not_years() -> None:
    assert year_of("历城二中连续6年获评，连续16年是真的吗") is None
    assert asked_years("近20年来的变化", REPORT_YEAR, VOCABULARY) == []
    # The same counts beside a real year leave that year standing.
    assert asked_years("连续16年获评，22年呢", REPORT_YEAR, VOCABULARY) == [(2022, "22年")]


def test_a_four_digit_amount_with_a_unit_is_not_a_year() -> None:
    assert asked_years("去年森林抚育了2000亩？", REPORT_YEAR, VOCABULARY) == [(2022, "去年")]
    assert asked_years("是2000多户还是2023.5万元", REPORT_YEAR, VOCABULARY) == []
    # A year written without 年 still counts.
    assert asked_years("2022的GDP多少", REPORT_YEAR, VOCABULARY) == [(2022, "2022")]


def test_a_year_compared_with_is_not_the_year_asked_about() -> None:
    assert asked_years("2023年比2022年多了多少", REPORT_YEAR, VOCABULARY) == [(2023, "2023年")]
    assert year_of("今年比去年多建了几所学校") == 2023


def test_a_long_year_word_is_not_read_again_as_its_shorter_part() -> None:
    assert asked_years("过去的一年有哪些成绩", REPORT_YEAR, VOCABULARY) == [(2022, "过去的一年")]


def test_plan_wording_means_the_report_year_and_result_wording_the_year_before() -> None:
    assert year_intent("计划新建多少所学校", REPORT_YEAR, VOCABULARY) == 2023
    assert year_of("已经建成了多少个5G基站") == 2022
    assert year_of("唐冶那个三甲医院建到啥程度了") == 2022  # how far it got: the year under review


def test_plan_and_result_wording_together_leave_the_year_open_unless_one_is_named() -> None:
    assert year_of("计划完成了吗，已经实现了目标吗") is None  # both kinds of wording: no guess
    assert year_of("2022年的计划完成了吗，已经实现了目标吗") == 2022


def test_a_question_without_any_year_hint_has_no_year() -> None:
    assert year_intent("济钢集团重回全国500强了吗", REPORT_YEAR, VOCABULARY) is None


def test_the_search_text_adds_the_reports_terms_to_the_question() -> None:
    query = understand("去年GDP多少", REPORT_YEAR, VOCABULARY)
    assert query.year == 2022
    assert "地区生产总值" in query.official_terms
    assert query.search_text.startswith("去年GDP多少 ") and "地区生产总值" in query.search_text


def test_a_question_without_everyday_words_is_searched_as_asked() -> None:
    query = understand("济钢集团重回全国500强了吗", REPORT_YEAR, VOCABULARY)
    assert query.official_terms == ()
    assert query.search_text == "济钢集团重回全国500强了吗"


def test_a_question_naming_two_years_contrasts_them() -> None:
    assert understand("今年要修多少公里 去年是不是也修了45公里？", REPORT_YEAR, VOCABULARY).contrasts_years
    assert not understand("去年新建了44条市政道路吗？", REPORT_YEAR, VOCABULARY).contrasts_years
    assert not understand("2022年和去年新增了多少学位", REPORT_YEAR, VOCABULARY).contrasts_years  # one year, named twice


@pytest.mark.parametrize(
    "question, unit",
    [
        ("去年新增了多少张家庭养老床位", "张"),
        ("22年新增高企几家", "家"),
        ("市场主体有多少万户", "户"),
        ("投入抗疫资金多少", "元"),  # from the unit words of data/synonyms.toml
        ("2023年普法规划属于第几个五年", None),  # an order, not a count
        ("地区生产总值增长几个百分点", None),
        ("新增学位多少", None),
    ],
)
def test_the_unit_of_the_figure_asked_for_comes_from_its_counter_or_wording(question: str, unit: str | None) -> None:
    assert understand(question, REPORT_YEAR, VOCABULARY).asked_unit == unit

"""Cleaning the PDF extraction: joined lines, no page furniture, no extraction spaces, nothing lost, pages kept."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ingest.clean import HEADING, Paragraph, clean_paragraphs, clean_text, remove_extraction_spaces
from ingest.load import read_report
from rag.settings import DEFAULT_REPORT

RAW = read_report(DEFAULT_REPORT)
PARAGRAPHS = clean_paragraphs(RAW)
TEXT = clean_text(RAW)
STRADDLING = "持续激发线上线下消费活力"  # printed as "持续激" / footer "—15—" / "发线上线下消费活力"


def paragraph_with(words: str) -> Paragraph:
    found = [p for p in PARAGRAPHS if words in p.text]
    assert len(found) == 1, f"{words!r} is in {len(found)} paragraphs"
    return found[0]


def chinese_and_digits(text: str) -> Counter:
    return Counter(re.findall(r"[\u4e00-\u9fff0-9]", text))


# --------------------------------------------------------------------------- line breaks


def test_hard_wrapped_lines_are_joined_without_spaces() -> None:
    raw = (
        " 一、2022 年工作回顾\n\n"
        "过去的一年，是党的二十大召开之年，是新一届区政府开局\n\n"
        "之年。面对复杂严峻的国际国内形势和诸多风险挑战，在市委、\n\n"
        "市政府和区委坚强领导下，区政府迈出新步伐。\n"
    )
    assert [p.text for p in clean_paragraphs(raw)] == [
        "一、2022年工作回顾",
        "过去的一年，是党的二十大召开之年，是新一届区政府开局之年。面对复杂严峻的国际国内形势和诸多风险挑战，"
        "在市委、市政府和区委坚强领导下，区政府迈出新步伐。",
    ]


def test_a_sentence_ending_on_a_short_line_ends_the_paragraph() -> None:
    raw = " 第一段的最后一句在一行的中间结束了。\n\n第二段从这里开始，也很短。\n"
    assert [p.text for p in clean_paragraphs(raw)] == ["第一段的最后一句在一行的中间结束了。", "第二段从这里开始，也很短。"]


def test_report_sentences_broken_across_printed_lines_are_whole_again() -> None:
    for sentence in [
        "过去的一年，是党的二十大召开之年，是新一届区政府开局之年。",
        "新建19处中小学、幼儿园，新增学位1.7万个。",
        "推动消费升级。完善消费品市场激励政策，组织更多区域性促消费活动，推进电商产业园建设，"
        "提供更多优质供给，持续激发线上线下消费活力。",
    ]:
        assert sentence in TEXT


def test_every_cleaned_paragraph_ends_a_sentence_or_is_a_heading() -> None:
    # A paragraph that stops mid-sentence would mean a line break was taken for a paragraph end.
    unfinished = [p.text[-20:] for p in PARAGRAPHS if not HEADING.match(p.text) and p.text[-1] not in "。！？：；”"]
    assert unfinished == []


def test_cleaned_text_has_one_paragraph_a_line_and_no_blank_or_indented_lines() -> None:
    lines = TEXT.split("\n")
    assert len(lines) == len(PARAGRAPHS)
    assert all(line and line == line.strip() for line in lines)


# --------------------------------------------------------------------------- page furniture


def test_page_footer_is_removed_and_the_words_around_it_meet() -> None:
    assert STRADDLING in TEXT  # "持续激" above the footer, "发线上线下消费活力" below it
    assert "—15—" not in TEXT
    assert not re.search(r"[—–-]\s*\d+\s*[—–-]", TEXT.replace("——", ""))


@pytest.mark.parametrize("footer", ["—7—", "— 7 —", "- 7 -", "–7–"])
def test_footers_in_any_dash_style_are_dropped_and_pin_the_page_number(footer: str) -> None:
    raw = f" 第一页的正文在这里结束。\n\n{footer}\n\n 第二页的正文从这里开始。\n"
    paragraphs = clean_paragraphs(raw)
    assert [(p.text, p.page) for p in paragraphs] == [("第一页的正文在这里结束。", 7), ("第二页的正文从这里开始。", 8)]


def test_every_line_of_the_cleaned_report_has_words_not_just_a_page_number() -> None:
    lines = TEXT.split("\n")
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in lines)
    assert not [line for line in lines if re.fullmatch(r"[\s\d—–\-]+", line)]


# --------------------------------------------------------------------------- extraction spaces


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("增长 3.4%", "增长3.4%"),
        ("GDP 的比重", "GDP的比重"),
        ("政 府 工 作 报 告", "政府工作报告"),
        ("超过 60 亿元", "超过60亿元"),
        ("RCEP 等契机", "RCEP等契机"),
        ("“铁海 E 通”", "“铁海E通”"),
        ("全角\u3000空格和\u00a0不换行空格", "全角空格和不换行空格"),
        ("  两端的空格  ", "两端的空格"),
    ],
)
def test_spaces_around_numbers_and_between_chinese_and_latin_are_removed(raw: str, clean: str) -> None:
    assert remove_extraction_spaces(raw) == clean


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Made in China 2025 计划", "Made in China 2025计划"),
        ("Licheng District 历城区", "Licheng District历城区"),
        ("Industry 4.0  标准", "Industry 4.0标准"),
    ],
)
def test_latin_words_separated_by_a_space_stay_separated(raw: str, clean: str) -> None:
    assert remove_extraction_spaces(raw) == clean


def test_report_figures_and_latin_terms_lose_their_extraction_spaces() -> None:
    for clean in ["政府工作报告", "增长3.4%", "GDP的比重达到32%", "新建1270个5G基站", "5A级物流企业", "RCEP等契机"]:
        assert clean in TEXT
    assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff0-9A-Za-z]|[0-9A-Za-z%] +[\u4e00-\u9fff]", TEXT)


# --------------------------------------------------------------------------- nothing lost


def test_no_chinese_character_or_digit_is_lost_or_added() -> None:
    original = chinese_and_digits(RAW.replace("—15—", ""))
    cleaned = chinese_and_digits(TEXT)
    assert cleaned - original == Counter()
    assert original - cleaned == Counter()


def test_no_other_visible_character_is_lost_or_added() -> None:
    visible = lambda text: Counter(c for c in text if not c.isspace())  # noqa: E731
    assert visible(TEXT) == visible(RAW.replace("—15—", ""))


# --------------------------------------------------------------------------- pages


def test_paragraph_straddling_the_footer_starts_on_page_15_and_runs_onto_16() -> None:
    paragraph = paragraph_with(STRADDLING)
    before = paragraph.text.index(STRADDLING)  # "持续激" stands above the footer ...
    after = before + len("持续激")  # ... "发线上线下消费活力" below it
    assert paragraph.page == 15
    assert paragraph.page_at(before) == 15
    assert paragraph.page_at(after) == 16
    assert (after, 16) in paragraph.page_starts


def test_page_numbers_never_decrease() -> None:
    pages = [page for p in PARAGRAPHS for _, page in p.page_starts]
    assert pages == sorted(pages)
    assert [p.page for p in PARAGRAPHS] == sorted(p.page for p in PARAGRAPHS)


def test_each_paragraph_starts_on_the_page_of_its_first_page_start() -> None:
    for p in PARAGRAPHS:
        assert p.page_starts[0] == (0, p.page)
        assert p.page_at(0) == p.page
        assert p.page_at(len(p.text) - 1) == p.page_starts[-1][1]


def test_pages_span_the_printed_report() -> None:
    # The footer pins page 15; the report runs from the first page to the closing words on the last.
    assert PARAGRAPHS[-1].page_starts[-1][1] > 15 > PARAGRAPHS[0].page

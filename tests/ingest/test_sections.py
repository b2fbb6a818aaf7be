"""The outline: every sentence knows its section path (part > area > topic) and its year."""

from __future__ import annotations

import pytest

from ingest.clean import clean_paragraphs
from ingest.load import read_report
from ingest.sections import Sentence, heading_name, outline, split_sentences, year_of_part
from rag.settings import DEFAULT_REPORT

SENTENCES = outline(clean_paragraphs(read_report(DEFAULT_REPORT)), 2023)
REVIEW, PLAN, SELF = "一、2022年工作回顾", "二、2023年主要工作安排", "三、全面加强政府自身建设"


def sentence_with(words: str) -> Sentence:
    found = [s for s in SENTENCES if words in s.text]
    assert len(found) == 1, f"{words!r} is in {len(found)} sentences"
    return found[0]


# --------------------------------------------------------------------------- sentence splitting


def test_sentences_end_at_full_stop_semicolon_exclamation_and_question_marks() -> None:
    assert split_sentences("新增学位1.7万个。城市品质还不够高；我们要加油！能做到吗？") == [
        "新增学位1.7万个。",
        "城市品质还不够高；",
        "我们要加油！",
        "能做到吗？",
    ]


@pytest.mark.parametrize("figure", ["1.7万", "48.6%", "10.5万吨", "3.1%", "1.23亿人次", "64.9万件"])
def test_a_decimal_point_never_splits_a_sentence(figure: str) -> None:
    text = f"指标达到{figure}，超过预期。"
    assert split_sentences(text) == [text]


def test_report_sentences_keep_their_decimals_whole() -> None:
    assert sentence_with("新增学位1.7万个").text == "新建19处中小学、幼儿园，新增学位1.7万个。"
    assert "48.6%、50%" in sentence_with("分别下降48.6%").text


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert split_sentences("彩石东泉等5家民宿被评为“泉城人家。”下一句。") == ["彩石东泉等5家民宿被评为“泉城人家。”", "下一句。"]


def test_a_paragraph_without_final_punctuation_is_one_last_sentence() -> None:
    assert split_sentences("第一句。没有句号的结尾") == ["第一句。", "没有句号的结尾"]


# --------------------------------------------------------------------------- years


def test_the_review_part_is_the_year_before_the_report() -> None:
    assert year_of_part(REVIEW, 2023) == 2022
    assert year_of_part(PLAN, 2023) == 2023
    assert year_of_part(SELF, 2023) == 2023


def test_new_school_places_are_a_2022_result_under_public_services() -> None:
    sentence = sentence_with("新增学位1.7万个")
    assert sentence.year == 2022
    assert sentence.section[0] == REVIEW
    assert "公共服务体系更加健全" in sentence.section


def test_new_schools_are_a_2023_plan_under_education() -> None:
    sentence = sentence_with("新建改扩建中小学、幼儿园12所")
    assert sentence.year == 2023
    part, area, topic = sentence.section
    assert (part, topic) == (PLAN, "办好人民满意教育")
    assert area.startswith("（六）增进民生福祉")


def test_the_problems_paragraph_belongs_to_2022() -> None:
    sentence = sentence_with("新动能支撑力不强")
    assert sentence.year == 2022
    assert sentence.section[0] == REVIEW


def test_every_sentence_of_part_three_is_2023() -> None:
    part_three = [s for s in SENTENCES if s.section[0] == SELF]
    assert len(part_three) > 10
    assert {s.year for s in part_three} == {2023}


def test_every_sentence_of_part_one_is_2022_and_of_part_two_2023() -> None:
    assert {s.year for s in SENTENCES if s.section[0] == REVIEW} == {2022}
    assert {s.year for s in SENTENCES if s.section[0] == PLAN} == {2023}


def test_years_follow_the_report_year_given() -> None:
    shifted = outline(clean_paragraphs(read_report(DEFAULT_REPORT)), 2024)
    assert {s.year for s in shifted if s.section[0] == REVIEW} == {2023}


# --------------------------------------------------------------------------- section paths


def test_headings_are_not_sentences_but_name_sections() -> None:
    texts = {s.text for s in SENTENCES}
    assert REVIEW not in texts and "（一）坚决拉高标杆，推进经济高质量发展。" not in texts
    assert heading_name("（一）坚决拉高标杆，推进经济高质量发展。") == "（一）坚决拉高标杆，推进经济高质量发展"


def test_review_areas_are_the_one_year_summary_sentences() -> None:
    sentence = sentence_with("预计实现地区生产总值1265亿元")
    assert sentence.section[:2] == (REVIEW, "一年来，我们坚持发展第一要务不动摇，区域综合实力稳步提升")


def test_plan_tasks_and_lead_sentences_make_the_section_path() -> None:
    assert sentence_with("新增高新技术企业84家").section == (
        PLAN,
        "（一）坚决拉高标杆，推进经济高质量发展",
        "坚持创新驱动",
    )


def test_sentences_before_the_first_part_are_the_opening() -> None:
    assert SENTENCES[0].section == ("开篇",)


def test_section_paths_appear_in_reading_order() -> None:
    parts = [s.section[0] for s in SENTENCES]
    firsts = [parts.index(name) for name in ("开篇", REVIEW, PLAN, SELF)]
    assert firsts == sorted(firsts)
    assert parts == sorted(parts, key=lambda name: ["开篇", REVIEW, PLAN, SELF].index(name))


def test_sentence_pages_never_decrease_and_the_straddling_sentence_starts_on_15() -> None:
    pages = [s.page for s in SENTENCES]
    assert pages == sorted(pages)
    assert sentence_with("持续激发线上线下消费活力").page == 15
    assert sentence_with("优化提升商业空间布局").page == 16


def test_a_repeated_sentence_gets_the_page_it_stands_on_not_the_page_of_its_twin():
    # Found by the property tests: the second "新建城区。" starts on page 2, the first on page 1.
    from ingest.clean import Paragraph

    paragraph = Paragraph("扩大有效投资。新建城区。新建城区。", page=1, page_starts=((0, 1), (12, 2)))
    pages = [(s.text, s.page) for s in outline([paragraph], 2023)]
    assert pages == [("扩大有效投资。", 1), ("新建城区。", 1), ("新建城区。", 2)]

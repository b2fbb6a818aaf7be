"""Answers citizens can trust: figures grounded in cited passages, years never blurred, refusals when silent.

These run the real answerer over the session's real index (tests/conftest.py); the last one goes
through the public `rag.answering.answerer` function and the default index, as an embedding app would.
"""

from __future__ import annotations

import re

import pytest

from eval.golden import DEFAULT_GOLDEN, load_golden
from rag import answer as public_answer
from rag.answering.answerer import Answerer
from rag.answering.followup import split_compound
from rag.answering.grounding import ungrounded_numbers
from rag.questions import QuestionError
from rag.settings import DEFAULT_REPORT
from rag.types import Passage


@pytest.fixture(scope="module")
def answerer(retriever):
    return Answerer(retriever)


def ask(answerer, question, history=None):
    return answerer.answer(question, history=history)


def test_a_2023_question_about_school_places_labels_both_years_and_says_2023_has_no_figure(answerer):
    result = ask(answerer, "2023年新增学位多少")
    assert not result.refused
    assert "报告未提及2023年" in result.text
    assert "2022年（已完成）" in result.text and "1.7万" in result.text
    assert "2023年（计划）" in result.text and "12所" in result.text
    years = {p.year for p in result.citations}
    assert years == {2022, 2023}


def test_each_figure_is_labelled_with_the_year_of_the_passage_it_comes_from(answerer):
    result = ask(answerer, "2023年新增学位多少")
    for sentence in re.split(r"(?<=。)", result.text):
        for label, year in (("2022年（已完成）", 2022), ("2023年（计划）", 2023)):
            if label in sentence:
                cited = [result.citations[int(n) - 1] for n in re.findall(r"\[(\d+)\]", sentence)]
                assert cited and all(p.year == year for p in cited), sentence


def test_a_2022_question_gets_the_2022_result_only(answerer):
    result = ask(answerer, "2022年新增了多少学位")
    assert "1.7万" in result.text
    assert "2023年" not in result.text
    assert all(p.year == 2022 for p in result.citations)


@pytest.mark.parametrize(
    "question, figure, label",
    [("去年GDP多少", "1265亿元", "2022年（已完成）"), ("今年GDP增长目标是多少", "6%", "2023年（计划）")],
)
def test_relative_years_mean_2022_and_2023_for_this_report(answerer, question, figure, label):
    result = ask(answerer, question)
    assert figure in result.text and label in result.text


def test_a_follow_up_uses_the_chat_history(answerer):
    history = [
        {"role": "user", "content": "2022年新增了多少学位？"},
        {"role": "assistant", "content": "2022年（已完成）：新建19处中小学、幼儿园，新增学位1.7万个[1]。"},
    ]
    result = ask(answerer, "那2023年呢？", history)
    assert "12所" in result.text
    assert any(p.year == 2023 for p in result.citations)


def test_a_figure_quoted_from_the_wrong_year_is_called_out(answerer):
    result = ask(answerer, "今年免费装烟感报警器是6.5万户吗？")
    assert "6.5万户是2022年的数字" in result.text
    assert "15万户" in result.text


def test_a_list_question_gathers_the_items(answerer):
    result = ask(answerer, "今年城市管理要解决哪些老大难问题？")
    for item in ("渣土运输", "建筑工地", "共享单车"):
        assert item in result.text


@pytest.mark.parametrize("question", ["历城区有多少人口", "历城区现在房价多少钱一平？", "区长办公室电话是多少？"])
def test_a_question_the_report_does_not_answer_is_refused(answerer, question):
    result = ask(answerer, question)
    assert result.refused
    assert result.text.startswith("报告未提及")
    assert len(result.citations) <= 2  # related passages, shown as not containing the answer
    assert not re.search(r"\[\d+\]", result.text)


def test_a_year_the_report_does_not_cover_is_refused_and_named(answerer):
    result = ask(answerer, "2024年历城GDP目标是多少？")
    assert result.refused and "2024年" in result.text


def test_a_when_question_about_a_plan_without_a_date_is_refused(answerer):
    assert ask(answerer, "济滨高铁什么时候通车？").refused


def test_a_question_in_english_is_told_the_report_is_chinese(answerer):
    result = ask(answerer, "How many school places were added in 2022?")
    assert result.refused and "请用中文提问" in result.text


@pytest.mark.parametrize("question", ["", "   ", "😀😀", "？？！", "问" * 10_000])
def test_bad_questions_raise_a_readable_error(answerer, question):
    with pytest.raises(QuestionError) as error:
        ask(answerer, question)
    assert "/" in str(error.value)  # Chinese and English


def test_every_number_of_every_golden_answer_stands_in_a_cited_passage(answerer):
    items = load_golden(DEFAULT_GOLDEN, DEFAULT_REPORT)
    for item in items:
        result = ask(answerer, item.question, list(item.history) or None)
        assert not ungrounded_numbers(result.text, [p.text for p in result.citations]), (item.id, result.text)
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", result.text)}
        assert markers <= set(range(1, len(result.citations) + 1)), (item.id, result.text)


def test_the_public_function_answers_with_citations():
    result = public_answer("2022年新建了多少5G基站")
    assert "1270" in result.text and result.citations
    assert result.to_dict()["citations"][0]["highlight"]


def test_ungrounded_numbers_finds_a_figure_no_cited_passage_holds():
    passage = Passage("id", "新增学位1.7万个。", "", "", 10, 2022, 1.0)
    assert ungrounded_numbers("2022年（已完成）：新增学位1.7万个[1]。", [passage.text]) == []
    assert ungrounded_numbers("新增学位1.8万个[1]。", [passage.text]) == ["1.8"]


@pytest.mark.parametrize(
    "question, parts",
    [
        ("去年疫情防控投了多少钱，今年医疗资源上有什么打算？", ["去年疫情防控投了多少钱", "今年医疗资源上有什么打算？"]),
        ("去年历城在养老和低保方面做了什么？", ["去年历城在养老方面做了什么？", "去年历城在低保方面做了什么？"]),
        ("2023年新增学位多少", ["2023年新增学位多少"]),
    ],
)
def test_two_part_questions_are_split_and_plain_ones_are_not(question, parts):
    assert split_compound(question) == parts


def test_a_question_with_no_topic_of_its_own_leans_on_the_previous_one(answerer):
    history = [
        {"role": "user", "content": "去年新增了多少家高新技术企业？"},
        {"role": "assistant", "content": "2022年（已完成）：新增高新技术企业174家[1]。"},
    ]
    result = ask(answerer, "今年打算再新增多少家？", history)
    assert "84家" in result.text and "2023年（计划）" in result.text


def test_a_year_a_figure_is_compared_with_is_not_the_year_asked_about(answerer):
    result = ask(answerer, "去年安全事故比前年少了多少？")
    assert "2021年" not in result.text


def test_several_questions_in_one_message_are_each_answered(answerer):
    result = ask(answerer, "去年新建了多少老年人日间照料中心？残疾人之家呢？")
    assert "28处" in result.text and "15家" in result.text


def test_a_list_named_in_one_sentence_and_spelled_out_in_the_next_gets_both(answerer):
    result = ask(answerer, "生物医药“一院多区”具体是哪几个区？")
    for item in ("研发生产区", "医疗康养区", "生产制造区"):
        assert item in result.text

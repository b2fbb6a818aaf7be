"""The whole engine over the fake-embedded index (BM25 and the fact index are real; no model loads)."""

from __future__ import annotations

import pytest

from rag.answering.answerer import Answerer, merge_answers
from rag.questions import QuestionError
from rag.types import Answer, Passage


@pytest.fixture(scope="module")
def answerer(fake_retriever) -> Answerer:
    return Answerer(fake_retriever)


def test_the_index_carries_the_facts_of_its_chunks(fake_retriever) -> None:
    facts = fake_retriever.index.facts
    ids = {c.chunk_id for c in fake_retriever.index.chunks}
    assert facts and all(f.chunk_id in ids for f in facts)


@pytest.mark.parametrize("message", ["你好", "谢谢", "你能做什么？"])
def test_small_talk_gets_a_short_reply_with_three_examples_and_no_passages(answerer, message) -> None:
    result = answerer.answer(message)
    assert not result.refused and result.reason == "greeting"
    assert result.citations == [] and result.retrieved == []
    assert "报告未提及" not in result.text and result.text.count("？") == 3


def test_an_everyday_question_gets_no_passages(answerer) -> None:
    result = answerer.answer("今天天气怎么样")
    assert result.refused and result.reason == "off_topic" and result.citations == []
    assert result.text.startswith("报告未提及")


def test_a_question_in_english_is_told_the_report_is_chinese(answerer) -> None:
    result = answerer.answer("How many school places were added in 2022?")
    assert result.refused and "请用中文提问" in result.text


def test_a_year_no_report_covers_is_refused_and_named(answerer) -> None:
    result = answerer.answer("2024年历城GDP目标是多少？")
    assert result.refused and result.reason == "year_not_covered" and "2024年" in result.text


@pytest.mark.parametrize("question", ["", "   ", "😀😀", "？？！", "问" * 10_000])
def test_bad_questions_raise_a_readable_error(answerer, question) -> None:
    with pytest.raises(QuestionError) as error:
        answerer.answer(question)
    assert "/" in str(error.value)  # Chinese and English


def test_the_answer_keeps_its_public_shape_and_adds_the_reason(answerer) -> None:
    data = answerer.answer("2023年新增学位多少").to_dict()
    assert {"question", "text", "refused", "year", "citations", "reason", "partial"} <= set(data)


def test_parts_answered_by_the_same_passage_say_it_once() -> None:
    passage = Passage("a", "新增学位1.7万个。", "", "", 1, 2022, 0.9)
    again = Passage("a", "新增学位1.7万个。", "", "", 1, 2022, 0.5)  # the same chunk, retrieved for another part
    first = Answer("q", "新增学位1.7万个[1]。", [passage], False, 2022, [passage], ["新增学位1.7万个"])
    second = Answer("q", "新增学位1.7万个[1]。", [again], False, 2022, [again], ["新增学位1.7万个"])
    merged = merge_answers("q", [first, second])
    assert merged.text == "新增学位1.7万个[1]。" and len(merged.citations) == 1


def test_a_quote_and_a_year_label_said_for_one_part_are_not_repeated_for_the_next() -> None:
    passage = Passage("a", "新增学位1.7万个。新建12所。", "", "", 1, 2022, 0.9)
    first = Answer("q", "2022年（已完成）：新增学位1.7万个[1]。", [passage], False, 2022, [passage], ["新增学位1.7万个"])
    second = Answer(
        "q",
        "2022年（已完成）：新增学位1.7万个[1]。2022年（已完成）：新建12所[1]。",
        [passage],
        False,
        2022,
        [passage],
        ["新建12所"],
    )
    merged = merge_answers("q", [first, second])
    assert merged.text == "2022年（已完成）：新增学位1.7万个[1]。新建12所[1]。"


def test_a_part_the_report_does_not_answer_is_named() -> None:
    passage = Passage("a", "新增学位1.7万个。", "", "", 1, 2022, 0.9)
    given = Answer("q", "新增学位1.7万个[1]。", [passage], False, 2022, [passage], ["新增学位1.7万个"])
    refused = Answer("q", "报告未提及这一内容。", [], True, 2022, [], [])
    merged = merge_answers("q", [given, refused], ["去年新增学位多少", "去年新增床位多少？"])
    assert merged.text == "新增学位1.7万个[1]。关于“去年新增床位多少”，报告未提及。" and merged.partial

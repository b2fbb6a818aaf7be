"""Follow-up suggestions: questions drawn from the facts beside an answer's citations, each one answered by the
answerer before it is offered. Over the fake index: the real report, facts and answer engine, no model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.answering.answerer import Answerer
from rag.answering.suggest import SuggestionPolicy, candidate_facts, question_for, suggest_questions
from rag.types import Answer


@pytest.fixture(scope="module")
def answerer(fake_retriever) -> Answerer:
    return Answerer(fake_retriever)


@pytest.fixture(scope="module")
def facts(fake_retriever):
    return fake_retriever.index.facts


def ask_with(answerer, asked: list[str] | None = None):
    def ask(question: str, history=None) -> Answer:
        if asked is not None:
            asked.append(question)
        return answerer.answer(question, history=history)

    return ask


def test_a_2022_figure_suggests_its_2023_target_first(answerer, facts):
    answer = answerer.answer("去年GDP多少")
    assert "1265亿元" in answer.text
    suggestions = suggest_questions(answer, facts, ask_with(answerer))
    assert suggestions[0] == "2023年地区生产总值的目标是多少"
    assert 2 <= len(suggestions) <= 3


def test_a_2023_target_suggests_the_2022_result_of_the_same_indicator(answerer, facts):
    answer = answerer.answer("今年城镇就业目标是多少")
    suggestions = suggest_questions(answer, facts, ask_with(answerer))
    assert "2022年新增城镇就业是多少" in suggestions


def test_every_suggestion_is_answered_with_the_figure_it_was_made_from(answerer, facts):
    for question in ("去年GDP多少", "2022年新建了多少5G基站", "2023年新增学位多少"):
        answer = answerer.answer(question)
        suggestions = suggest_questions(answer, facts, ask_with(answerer))
        assert suggestions, question
        by_question = {question_for(f): f for f in candidate_facts(answer, facts)}
        for suggestion in suggestions:
            reply = answerer.answer(suggestion)
            assert not reply.refused and by_question[suggestion].text in reply.text, suggestion


def test_a_candidate_the_answerer_refuses_is_never_shown(answerer, facts):
    answer = answerer.answer("去年GDP多少")
    first = question_for(candidate_facts(answer, facts)[0])

    def refuse_the_first(question: str, history=None) -> Answer:
        reply = answerer.answer(question, history=history)
        return replace(reply, refused=True) if question == first else reply

    suggestions = suggest_questions(answer, facts, refuse_the_first)
    assert first not in suggestions
    assert suggestions and all(s.startswith("2023年") or s.startswith("2022年") for s in suggestions)


def test_a_refusal_gets_no_suggestions_and_asks_nothing(answerer, facts):
    answer = answerer.answer("历城区有多少人口")
    assert answer.refused
    asked: list[str] = []
    assert suggest_questions(answer, facts, ask_with(answerer, asked)) == []
    assert asked == []


def test_nothing_the_answer_already_says_is_suggested(answerer, facts):
    answer = answerer.answer("去年GDP多少")
    questions = [question_for(f) for f in candidate_facts(answer, facts)]
    assert "2022年地区生产总值是多少" not in questions  # 1265亿元 is in the answer
    assert "2023年地区生产总值的目标是多少" in questions


def test_the_policy_bounds_what_is_shown_and_what_is_tried(answerer, facts):
    answer = answerer.answer("去年GDP多少")
    asked: list[str] = []
    policy = SuggestionPolicy(shown=1, tried=5)
    assert len(suggest_questions(answer, facts, ask_with(answerer, asked), policy=policy)) == 1
    assert len(asked) == 1  # stopped at the first one answered
    asked.clear()
    never = lambda question, history=None: replace(answerer.answer(question), refused=True)  # noqa: E731
    assert suggest_questions(answer, facts, lambda q, h=None: asked.append(q) or never(q), policy=policy) == []
    assert len(asked) == 5

"""The chat page's server side (ui/chat_events.py), called directly: what an empty or too long question does,
what a 👍 / 👎 stores, and which follow-ups are offered. Over the fake index with the real answer engine."""

from __future__ import annotations

import gradio as gr
import pytest

from eval.feedback import open_feedback_store
from rag.answering.answerer import Answerer
from ui.chat_events import EMPTY_HINT, SUGGESTIONS, chat_responder, feedback_handlers, suggester


@pytest.fixture(scope="module")
def answerer(fake_retriever) -> Answerer:
    return Answerer(fake_retriever)


def run(respond, question: str, chat=(), history=(), turns=()) -> list:
    """Every update the handler yields, for one question."""
    return list(respond(question, list(chat), list(history), list(turns)))


def test_an_empty_question_adds_nothing_and_says_so_beside_the_box(answerer):
    for question in ("", "   ", "\n"):
        (update,) = run(chat_responder(answerer), question)
        box, chat, history, turns, latest, hint, *suggestions = update
        assert hint == EMPTY_HINT
        assert all(isinstance(u, type(gr.skip())) for u in (box, chat, history, turns, latest, *suggestions))


def test_a_too_long_question_stays_in_the_box_and_is_named_too_long_in_chinese(answerer):
    (update,) = run(chat_responder(answerer), "问" * 576)
    box, chat, *_, hint = update[:6]
    assert isinstance(box, type(gr.skip())) and isinstance(chat, type(gr.skip()))  # the box keeps the text
    assert hint == "问题太长了（576/500字），请删减后再发送。"


def test_an_answer_is_shown_numbered_and_remembered_for_follow_ups_and_feedback(answerer):
    pending, final = run(chat_responder(answerer), "去年GDP多少")
    assert "正在查找" in pending[1][-1]["content"] and pending[0] == ""
    box, chat, history, turns, latest, hint, *suggestions = final
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert 'id="rqa-turn-0"' in chat[-1]["content"] and "1265亿元" in chat[-1]["content"]
    assert latest == 0 and turns[0].answer.question == "去年GDP多少" and turns[0].history == ()
    assert history[0] == {"role": "user", "content": "去年GDP多少"}
    assert len(suggestions) == SUGGESTIONS and all(s.visible is False for s in suggestions)  # the old ones go


def test_a_question_with_nothing_to_search_gets_a_chinese_message_and_no_follow_ups(answerer):
    *_, final = run(chat_responder(answerer), "😀😀😀")
    chat, latest = final[1], final[4]
    assert "没有可以检索的文字" in chat[-1]["content"] and "search" not in chat[-1]["content"]
    assert latest is None
    assert all(b.visible is False for b in suggester(answerer)(latest, final[3], final[2]))


def test_follow_ups_are_offered_for_the_latest_answer_and_each_one_is_answered(answerer):
    *_, final = run(chat_responder(answerer), "去年GDP多少")
    buttons = suggester(answerer)(final[4], final[3], final[2])
    offered = [b.value for b in buttons if b.visible]
    assert 2 <= len(offered) <= SUGGESTIONS and offered[0] == "2023年地区生产总值的目标是多少"
    for question in offered:
        assert not answerer.answer(question, history=final[2]).refused


def test_thumbs_up_is_stored_and_thumbs_down_asks_why_before_storing(answerer, tmp_path):
    store = open_feedback_store("", tmp_path)
    rate, send_down = feedback_handlers(lambda: store)
    *_, first = run(chat_responder(answerer), "去年GDP多少")
    *_, second = run(chat_responder(answerer), "那2023年呢", first[1], first[2], first[3])
    turns = second[3]

    number, form, *_ = rate("up 0", turns)
    assert number is None and form.visible is False
    number, form, *_ = rate("down 1", turns)
    assert number == 1 and form.visible is True
    assert (store.counts().up, store.counts().down) == (1, 0)  # the 👎 waits for the form

    send_down(number, "wrong_year", "问的是2023年", turns)
    (item,) = store.for_review("unreviewed")
    assert item.feedback.question == "那2023年呢" and item.feedback.reason == "wrong_year"
    assert item.feedback.comment == "问的是2023年"
    assert item.feedback.history[0] == {"role": "user", "content": "去年GDP多少"}  # the chat before it


def test_a_forged_or_stale_rating_stores_nothing(answerer, tmp_path):
    store = open_feedback_store("", tmp_path)
    rate, _ = feedback_handlers(lambda: store)
    *_, final = run(chat_responder(answerer), "去年GDP多少")
    for action in ("up 7", "sideways 0", "up", "", "up -1"):
        assert rate(action, final[3])[1].visible is False
    assert store.counts().up == 0

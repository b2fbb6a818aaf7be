"""The answer cache (rag/answering/cache.py): repeated questions are answered once, per index version."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from types import SimpleNamespace

import pytest

from rag.answering.cache import CachedAnswerer
from rag.questions import QuestionError, check_question
from rag.types import Answer, Passage

PASSAGE = Passage("c1", "新建19处中小学、幼儿园，新增学位1.7万个。", "…", "一、2022年工作回顾", 10, 2022, 1.0)


class FakeIndex:
    """Just the version an answer depends on; follow() is where the real index looks for a new generation."""

    def __init__(self, version: str):
        self.version = version

    def follow(self):
        return self


class CountingAnswerer:
    """Answers with the question and history it was given, counting calls; slow, so calls can overlap."""

    def __init__(self, delay: float = 0.0):
        self.retriever = SimpleNamespace(index=FakeIndex("v1"))
        self.calls = 0
        self.delay = delay
        self.degraded = False
        self._lock = threading.Lock()

    def answer(self, question: str, history: list | None = None) -> Answer:
        check_question(question)
        with self._lock:
            self.calls += 1
        time.sleep(self.delay)
        passage = replace(PASSAGE, degraded=self.degraded)
        return Answer(question, f"{question} / {len(history or [])} turns [1]", [passage], False, 2022, [passage])


def test_the_same_question_is_answered_once_and_keeps_the_askers_own_words():
    inner = CountingAnswerer()
    cached = CachedAnswerer(inner, size=10)
    first = cached.answer("2023年新增学位多少")
    again = cached.answer("  2023年新增学位多少 ")
    assert inner.calls == 1 and (cached.hits, cached.misses) == (1, 1)
    assert again.text == first.text and again.question == "  2023年新增学位多少 "


def test_the_history_is_part_of_the_question():
    inner = CountingAnswerer()
    cached = CachedAnswerer(inner, size=10)
    history = [{"role": "user", "content": "去年新增就业多少人"}, {"role": "assistant", "content": "1.7万人[1]"}]
    cached.answer("那今年呢")
    follow_up = cached.answer("那今年呢", history=history)
    assert inner.calls == 2 and "2 turns" in follow_up.text
    assert cached.answer("那今年呢", history=[dict(m) for m in history]).text == follow_up.text and inner.calls == 2


def test_a_new_index_version_drops_every_older_answer():
    inner = CountingAnswerer()
    cached = CachedAnswerer(inner, size=10)
    cached.answer("去年GDP多少")
    inner.retriever.index.version = "v2"  # a re-ingest changed a chunk
    cached.answer("去年GDP多少")
    assert inner.calls == 2


def test_the_oldest_answer_makes_room():
    inner = CountingAnswerer()
    cached = CachedAnswerer(inner, size=2)
    for question in ("问题一GDP", "问题二学位", "问题三就业"):
        cached.answer(question)
    cached.answer("问题三就业")
    cached.answer("问题一GDP")  # pushed out by the third
    assert inner.calls == 4


def test_a_burst_of_the_same_question_computes_it_once():
    inner = CountingAnswerer(delay=0.2)
    cached = CachedAnswerer(inner, size=10)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cached.answer("今年城镇就业目标是多少"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inner.calls == 1 and len(answers) == 8 and len({a.text for a in answers}) == 1


def test_a_bad_question_is_refused_every_time_and_not_kept():
    inner = CountingAnswerer()
    cached = CachedAnswerer(inner, size=10)
    for _ in range(2):
        with pytest.raises(QuestionError):
            cached.answer("   ")
    assert cached.answer("去年GDP多少").text.startswith("去年GDP多少")


def test_an_answer_from_keywords_alone_is_not_kept():
    inner = CountingAnswerer()
    inner.degraded = True
    cached = CachedAnswerer(inner, size=10)
    assert cached.answer("去年GDP多少").degraded
    inner.degraded = False  # the vector store is back
    assert not cached.answer("去年GDP多少").degraded and inner.calls == 2


def test_size_zero_turns_the_cache_off():
    inner = CountingAnswerer()
    cached = CachedAnswerer(inner, size=0)
    cached.answer("去年GDP多少")
    cached.answer("去年GDP多少")
    assert inner.calls == 2

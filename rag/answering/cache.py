"""Answers kept for the questions many citizens ask at once, dropped when the index changes.

An answer is a pure function of the question, the chat history it follows and the indexed chunks, so it is
cached under exactly those: the question and history with runs of white space collapsed, and the index's
content version (rag.store.index.content_version). A re-ingest that changes any chunk changes the version,
and every older answer is unreachable at once. Concurrent requests for the same key wait for the one
being computed instead of computing it again (a popular question arrives in bursts).

    answerer = CachedAnswerer(Answerer(retriever), size=2048)
    answerer.answer("2023年新增学位多少")      # computed
    answerer.answer(" 2023年新增学位多少 ")    # from the cache, with the asker's own question text
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import replace

from rag.types import Answer


def _collapse(text: str) -> str:
    return " ".join(text.split())


def cache_key(version: str, question: str, history: list[dict] | None) -> tuple:
    turns = tuple((m.get("role", ""), _collapse(str(m.get("content", "")))) for m in history or ())
    return version, _collapse(question), turns


class CachedAnswerer:
    """Anything with `.answer(question, history)` and `.retriever`, with a bounded LRU of its answers."""

    def __init__(self, answerer, size: int = 2048):
        self.answerer = answerer
        self.retriever = answerer.retriever
        self.size = size
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._pending: dict[tuple, Future] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def answer(self, question: str, history: list[dict] | None = None) -> Answer:
        if self.size <= 0:
            return self.answerer.answer(question, history=history)
        # follow(): the index may have moved to a new generation (a re-ingest elsewhere) since the last question
        key = cache_key(self.retriever.index.follow().version, question, history)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                self.hits += 1
                return replace(self._answers[key], question=question)
            pending = self._pending.get(key)
            if pending is None:
                pending = self._pending[key] = Future()
                owner = True
                self.misses += 1
            else:
                owner = False
                self.hits += 1
        if not owner:
            return replace(pending.result(), question=question)
        try:
            answer = self.answerer.answer(question, history=history)
        except BaseException as error:  # a bad question raises for everyone waiting on it, and is not kept
            with self._lock:
                del self._pending[key]
            pending.set_exception(error)
            raise
        with self._lock:
            del self._pending[key]
            # Degraded answers (the vector store was down) are not kept: full service must show when it returns.
            if not answer.degraded:
                self._answers[key] = answer
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        pending.set_result(answer)
        return answer

"""An answerer that follows the index when another process re-ingests into the shared store.

The Retriever already reads the newest generation (Index.follow); the answer engine's knowledge (sentences,
facts, word weights) is built from one chunk set, so it is rebuilt when the index's version moves. Until the
rebuild is done the previous knowledge answers, and a passage it does not know is read on the spot
(Knowledge.sentences_of), so nothing fails in between.
"""

from __future__ import annotations

import logging
import threading

from rag.answering.answerer import Answerer
from rag.types import Answer

log = logging.getLogger(__name__)


class FollowingAnswerer:
    """`.answer()` and `.retriever` like an Answerer, whose knowledge is rebuilt for each new index version."""

    def __init__(self, answerer: Answerer):
        self.retriever = answerer.retriever
        self.current = answerer
        self._version = answerer.retriever.index.version
        self._rebuild = threading.Lock()

    def answer(self, question: str, history: list[dict] | None = None) -> Answer:
        version = self.retriever.index.follow().version
        if version != self._version and self._rebuild.acquire(blocking=False):
            try:  # one thread rebuilds; the others answer with the knowledge they have meanwhile
                old = self.current
                self.current = Answerer(self.retriever, old.policy, old.words)
                self._version = version
                log.info("answer engine follows index version %s", version[:12])
            finally:
                self._rebuild.release()
        return self.current.answer(question, history=history)

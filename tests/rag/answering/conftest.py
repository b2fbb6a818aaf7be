"""The answer stages over the real report, without the embedding model: chunks, facts and words are read from
the files, and passages are picked by hand (`passages(...)`) instead of retrieved."""

from __future__ import annotations

import pytest

from ingest.chunk import DEFAULT_MAX_CHARS
from ingest.facts import extract_facts
from ingest.load import load_chunks
from rag.answering.compose import Composer
from rag.answering.decide import Decider
from rag.answering.knowledge import Knowledge
from rag.answering.policy import DEFAULT_POLICY
from rag.answering.select import Selector
from rag.answering.understand import Understander
from rag.answering.words import load_words
from rag.settings import DEFAULT_REPORT
from rag.text.tokenize import ChineseTokenizer
from rag.text.vocabulary import load_vocabulary
from rag.types import Passage


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    chunks = load_chunks(DEFAULT_REPORT, DEFAULT_MAX_CHARS)
    vocabulary = load_vocabulary()
    return Knowledge(chunks, extract_facts(chunks), ChineseTokenizer(vocabulary), vocabulary)


@pytest.fixture(scope="session")
def understander(knowledge) -> Understander:
    return Understander(knowledge, load_words(), DEFAULT_POLICY)


@pytest.fixture(scope="session")
def selector(knowledge) -> Selector:
    return Selector(knowledge, DEFAULT_POLICY)


@pytest.fixture(scope="session")
def decider(knowledge) -> Decider:
    return Decider(knowledge, DEFAULT_POLICY)


@pytest.fixture(scope="session")
def composer(knowledge) -> Composer:
    return Composer(knowledge, load_words(), DEFAULT_POLICY)


@pytest.fixture(scope="session")
def passages(knowledge):
    """passages("新增学位1.7万个", "12所") → the chunks holding those words, as retrieved Passages, best first."""

    def find(*phrases: str) -> list[Passage]:
        found = []
        for rank, phrase in enumerate(phrases):
            chunk = next(c for c in knowledge.chunks if phrase in c.text)
            found.append(
                Passage(
                    chunk.chunk_id,
                    chunk.text,
                    chunk.context,
                    chunk.section,
                    chunk.page,
                    chunk.year,
                    1.0 - 0.1 * rank,
                    chunk.doc_id,
                )
            )
        return found

    return find


@pytest.fixture(scope="session")
def run(understander, selector, decider, composer, passages):
    """The stages from the question to the draft, over passages picked by hand."""

    def answer(question: str, *phrases: str, previous: str | None = None):
        earlier = understander.understand(previous) if previous else None
        intent = understander.understand(question, earlier)
        found = passages(*phrases)
        decision = decider.decide(intent, selector.candidates(intent, found))
        return intent, decision, composer.compose(intent, decision, found)

    return answer

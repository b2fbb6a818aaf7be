"""The report's fact index: every clause's figures, ranks, honours, dates, places, lists and people, typed and citable.

Built at ingest from the chunks, with no model: `extract_facts(chunks)` reads each sentence of each chunk,
gives every fact the chunk's id, section and page, the sentence and clause it stands in, its year, and
its status (a 2022 result, a 2022 estimate, a 2023 target). `pair_facts` links the 2022 result and the
2023 target of the same indicator; `is_non_answer` tells headings, lead-ins and ceremony from content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.chunk import DEFAULT_MAX_CHARS, SECTION_SEPARATOR, Chunk
from ingest.clean import Paragraph, clean_paragraphs
from ingest.facts.figures import figures_and_ranks
from ingest.facts.named import named_facts
from ingest.facts.pairs import pair_facts, with_pair_keys
from ingest.facts.text import is_non_answer
from ingest.facts.types import ACHIEVED, ESTIMATE, FIGURE, RANK, STATED, TARGET, Fact, FactPair, Finding
from ingest.facts.words import DEFAULT_POLICY, FactPolicy, FactWords, load_fact_words
from ingest.load import load_chunks, read_report
from ingest.sections import split_sentences

ESTIMATED_TYPES = (FIGURE, RANK)

__all__ = ["Fact", "FactPair", "extract_facts", "facts_in_sentence", "is_non_answer", "load_facts", "pair_facts"]


def facts_in_sentence(sentence: str, words: FactWords | None = None, policy: FactPolicy = DEFAULT_POLICY) -> list[Finding]:
    """Every fact one sentence holds, in reading order, not yet placed in the report."""
    words = words or load_fact_words()
    found = figures_and_ranks(sentence, words, policy) + named_facts(sentence, words, policy)
    return sorted(found, key=lambda finding: finding.start)


def status_of(finding: Finding, sentence: str, chunk: Chunk, report_year: int, words: FactWords) -> str:
    """A 2022 result, or an estimate when 预计 comes before it in its sentence; a 2023 target; or what the title block states."""
    if chunk.section.split(SECTION_SEPARATOR)[0] in words.opening_sections:
        return STATED
    if chunk.year >= report_year:
        return TARGET
    # 预计 estimates the statistics after it; an honour in the same sentence ("获评中国工业百强区") is won
    estimated = finding.type in ESTIMATED_TYPES and any(word in sentence[: finding.start] for word in words.estimate_words)
    return ESTIMATE if estimated else ACHIEVED


class _Pages:
    """The page each character of a chunk stands on, when the report's paragraphs are known.

    A chunk knows only the page it starts on; a sentence that runs onto the next page ("主要经济指标保持稳定增
    长。完成一般公共预算收入126亿元" starts on page 2, its figure stands on page 3) needs the paragraph's pages.
    """

    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        self.paragraphs = paragraphs
        self.found: dict[str, tuple[Paragraph, int] | None] = {}

    def page(self, chunk: Chunk, offset_in_chunk: int) -> int:
        if chunk.context not in self.found:
            self.found[chunk.context] = next(
                ((p, p.text.index(chunk.context)) for p in self.paragraphs if chunk.context in p.text), None
            )
        located = self.found[chunk.context]
        if located is None or chunk.text not in chunk.context:
            return chunk.page
        paragraph, start = located
        return paragraph.page_at(start + chunk.context.index(chunk.text) + offset_in_chunk)


def _fact(finding: Finding, sentence: str, chunk: Chunk, status: str, page: int) -> Fact:
    return Fact(
        type=finding.type,
        indicator=finding.indicator,
        value=finding.value,
        text=finding.text,
        unit=finding.unit,
        qualifier=finding.qualifier,
        kind=finding.kind,
        scope=finding.scope,
        items=finding.items,
        role=finding.role,
        year=chunk.year,
        status=status,
        section=chunk.section,
        page=page,
        source=sentence,
        clause=finding.clause,
        chunk_id=chunk.chunk_id,
    )


def extract_facts(
    chunks: Iterable[Chunk],
    paragraphs: Sequence[Paragraph] = (),
    words: FactWords | None = None,
    policy: FactPolicy = DEFAULT_POLICY,
) -> list[Fact]:
    """Every fact of the chunks, in reading order, each pointing at the chunk that cites it.

    With the report's `paragraphs` (ingest.clean.clean_paragraphs), a fact's page is the page its words
    stand on; without them, the page its chunk starts on.
    """
    chunks = list(chunks)
    if not chunks:
        return []
    words = words or load_fact_words()
    pages = _Pages(paragraphs)
    report_year = max(chunk.year for chunk in chunks)
    facts = []
    for chunk in sorted(chunks, key=lambda c: c.order):
        cursor = 0
        for sentence in split_sentences(chunk.text):
            cursor = chunk.text.index(sentence, cursor)
            for finding in facts_in_sentence(sentence, words, policy):
                status = status_of(finding, sentence, chunk, report_year, words)
                facts.append(_fact(finding, sentence, chunk, status, pages.page(chunk, cursor + finding.start)))
    return with_pair_keys(facts, words, policy)


def load_facts(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> list[Fact]:
    """The facts of one report file, each on the page its words stand on (a DocumentError says why a file is unusable)."""
    return extract_facts(load_chunks(path, max_chars), clean_paragraphs(read_report(path)))

"""Sentences cut into clauses and pieces with quoted names left whole, and the sentences that never answer."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.chunk import SECTION_SEPARATOR
from ingest.clean import HEADING  # the outline's own test for a numbered heading
from ingest.facts.words import FactWords, load_fact_words

# A quoted name ("“八抓20条”", "“十四五”") is one word: nothing inside it is a figure or a clause break.
QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》"}
CLAUSE_MARKS = "，；：。！？"
PIECE_MARK = "、"
SENTENCE_END = "。：；！？ "
LEAD_IN_ENDS = ("：", ":", "是")


@dataclass(frozen=True)
class Span:
    start: int  # offset in the text it was cut from
    end: int
    text: str


def quoted(text: str) -> list[bool]:
    """For every character: does it stand inside quotation marks (the marks included)?"""
    inside, closing = [False] * len(text), ""
    if not any(mark in text for mark in QUOTES):
        return inside
    for i, char in enumerate(text):
        if closing:
            inside[i] = True
            closing = "" if char == closing else closing
        elif char in QUOTES:
            inside[i], closing = True, QUOTES[char]
    return inside


def split_outside_quotes(text: str, marks: str, offset: int = 0) -> list[Span]:
    """Cut at any of `marks` outside quotes; the marks belong to no span and empty spans are dropped."""
    inside, spans, start = quoted(text), [], 0
    for i, char in enumerate(text):
        if char in marks and not inside[i]:
            spans.append(Span(offset + start, offset + i, text[start:i]))
            start = i + 1
    spans.append(Span(offset + start, offset + len(text), text[start:]))
    return [span for span in spans if span.text.strip()]


def clauses_of(sentence: str) -> list[Span]:
    return split_outside_quotes(sentence, CLAUSE_MARKS)


def is_non_answer(sentence: str, section: str = "", words: FactWords | None = None) -> bool:
    """Is this sentence a heading, a lead-in, part of the title block or ceremony, never an answer by itself?

    `section` is the passage's section path ("一、2022年工作回顾 > … > 经济发展稳中有进"): a sentence that
    only repeats a name on it is the heading of what follows ("经济发展稳中有进。").
    """
    words = words or load_fact_words()
    body = sentence.strip()
    name = body.rstrip(SENTENCE_END)
    if not name or HEADING.match(body) or name.endswith(LEAD_IN_ENDS[2]) or body.endswith(LEAD_IN_ENDS[:2]):
        return True
    if body.endswith("！") or any(word in body for word in words.ceremony):
        return True
    path = section.split(SECTION_SEPARATOR) if section else []
    if path and path[0] in words.opening_sections:
        return True
    return name in path and not any(word in name for word in words.event_words)

"""Lists the report spells out: "集成电路、空天信息、装备制造等重大产业项目" and "“医药、医疗、医养”三条主线".

Only lists whose end is certain are read: those closed by 等 (what follows names the kind of thing
listed) and those inside quotes. The first item starts after the verb that opens the list; a list
whose first item cannot be told from the words before it is left out rather than guessed.
"""

from __future__ import annotations

import re

from ingest.facts.mentions import mentions_in
from ingest.facts.subjects import TRIM, base_name, clean_subject, examples_end, names_nothing
from ingest.facts.text import PIECE_MARK, QUOTES, Span, quoted, split_outside_quotes
from ingest.facts.types import ENUMERATION, Finding
from ingest.facts.words import FactPolicy, FactWords

DIGITS = re.compile(r"\d")
QUOTED = re.compile(
    "|".join(f"{re.escape(opening)}[^{re.escape(closing)}]+{re.escape(closing)}" for opening, closing in QUOTES.items())
)
MIN_ITEMS = 2


def _without_figures(text: str, words: FactWords) -> str:
    """The kind of thing listed, without its count ("21条道路" → "道路")."""
    for mention in reversed(mentions_in(text, words)):
        text = text[: mention.start] + text[mention.end :]
    return text.strip(TRIM)


def _opening(first_piece: str, words: FactWords) -> tuple[int, str]:
    """Where the first item starts, after the last word that opens the list, and that word if a verb; else (-1, "")."""
    openers = words.list_openers + words.verbs + words.adverbs
    end, _, word = max(((first_piece.rfind(w) + len(w), len(w), w) for w in openers if w in first_piece), default=(-1, 0, ""))
    return end, "" if word in words.adverbs else word


def _example_list(clause: Span, words: FactWords, policy: FactPolicy) -> list[Finding]:
    """A list closed by 等 ("A、B、C等HEAD"): the items before 等, named by the opener and the words after it."""
    text = clause.text
    end = examples_end(text, words)
    if end < 0 or quoted(text)[end - 1]:
        return []
    pieces = split_outside_quotes(text[: end - 1], PIECE_MARK)
    if len(pieces) < MIN_ITEMS or any(DIGITS.search(piece.text) for piece in pieces):
        return []
    others = [piece.text.strip(TRIM) for piece in pieces[1:]]
    first = pieces[0].text
    start, opener = _opening(first, words)
    if start < 0 and len(first.strip(TRIM)) > max(map(len, others)) + 1:
        return []  # where the first item begins is a guess
    start = max(start, 0)
    items = [first[start:].strip(TRIM), *others]
    if any(not item or len(item) > policy.max_item_chars for item in items):
        return []
    head = _without_figures(text[end:], words)
    indicator = opener + head  # "新建道路" of "新建临港北路、兴港南路等21条道路"
    written = text[pieces[0].start + start : end - 1].strip(TRIM)
    return [
        Finding(
            ENUMERATION, indicator.strip(TRIM), written, written, clause.start + pieces[0].start + start, text, items=tuple(items)
        )
    ]


def _quoted_lists(clause: Span, words: FactWords, policy: FactPolicy) -> list[Finding]:
    """A list in quotes ("“医药、医疗、医养”三条主线"): what follows the quote (or else precedes it) names it."""
    text, found = clause.text, []
    for match in QUOTED.finditer(text):
        content = match.group(0)[1:-1]
        items = tuple(item.strip() for item in content.split(PIECE_MARK))
        if len(items) < MIN_ITEMS or any(not item or len(item) > policy.max_item_chars for item in items):
            continue
        after = _without_figures(text[match.end() :].lstrip("等的"), words)
        if not after or names_nothing(after, words):  # "“控煤…”全面推进": what follows is no name
            after = base_name(clean_subject(text[: match.start()], words), words)
        if after:
            found.append(Finding(ENUMERATION, after, content, match.group(0), clause.start + match.start(), text, items=items))
    return found


def enumerations(clause: Span, words: FactWords, policy: FactPolicy) -> list[Finding]:
    return _quoted_lists(clause, words, policy) + _example_list(clause, words, policy)

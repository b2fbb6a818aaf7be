"""Facts that are names rather than figures: honours won or aimed for, dates, places and people.

"获评中国工业百强区" is an honour; "争创全省全域旅游示范区" one aimed for. The title block gives the
date, the venue and the speaker ("历城区区长续明"); "以唐冶北国际医疗健康城为医疗康养区" gives a
place its role.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.facts.enumerations import enumerations
from ingest.facts.subjects import TRIM, base_name, clean_subject
from ingest.facts.text import PIECE_MARK, Span, clauses_of, quoted, split_outside_quotes
from ingest.facts.types import DATE, HONOUR, PERSON, PLACE, Finding
from ingest.facts.words import DEFAULT_POLICY, FactPolicy, FactWords

DATE_PATTERN = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?")
VENUE = re.compile(r"在(?P<place>[^，。；在]{4,40}?(?:会议|大会|会))上")
# "济南智能传感器产业园被省委确定为主会场，承办全省春季重大项目集中开工活动"
HOST = re.compile(
    r"(?P<place>[^，。；、]{2,20}?)被[^，。；]{0,6}?确定为(?P<role>[^，。；]{0,6}?会场)(?:，承办(?P<event>[^，。；]+))?"
)
WON, AIMED = "won", "aimed"
MIN_TITLE_CHARS = 3


@lru_cache(maxsize=16)
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _verb_positions(text: str, verbs: tuple[str, ...]) -> list[tuple[int, str]]:
    """Where each verb stands outside quotes, in order, the longest verb wherever two start together."""
    inside = quoted(text)
    return [(m.start(), m.group(0)) for m in _alternation(verbs).finditer(text) if not inside[m.start()]]


def honours(clause: Span, words: FactWords) -> list[Finding]:
    """Titles won ("获评…", "被评为…") or aimed for ("争创…"); each title after its verb, up to the next."""
    text, found = clause.text, []
    positions = _verb_positions(text, words.honours_won + words.honours_aimed)
    holder, previous_end = "", 0
    for index, (position, verb) in enumerate(positions):
        end = positions[index + 1][0] if index + 1 < len(positions) else len(text)
        for stop in words.title_ends:
            cut = text.find(stop, position + len(verb), end)
            end = cut if cut >= 0 else end
        own = base_name(clean_subject(text[previous_end:position].strip("".join(words.title_ends)), words), words)
        holder = own or holder  # "挂牌3A景区并获评…": the second title goes to the same holder
        kind = AIMED if verb in words.honours_aimed else WON
        for title in split_outside_quotes(text[position + len(verb) : end], PIECE_MARK, position + len(verb)):
            name = title.text.strip(TRIM)
            if len(name) >= MIN_TITLE_CHARS and any(word in name for word in words.title_words):
                start = clause.start + title.start + title.text.index(name)
                found.append(Finding(HONOUR, holder, name, name, start, text, kind=kind))
        previous_end = end
    return found


def dates(clause: Span) -> list[Finding]:
    """Calendar dates ("2023年1月7日"), named by what precedes them ("政府工作报告")."""
    found = []
    for match in DATE_PATTERN.finditer(clause.text):
        before = clause.text[: match.start()].strip(TRIM + "─—-")
        found.append(
            Finding(DATE, before, match.group(0), match.group(0), clause.start + match.start(), clause.text, kind="date")
        )
    return found


def hosts(sentence: str) -> list[Finding]:
    """A host ("X被…确定为主会场，承办Y"): X is where Y took place, the event named in the next clause."""
    found = []
    for match in HOST.finditer(sentence):
        place = match.group("place").strip(TRIM)
        found.append(
            Finding(
                PLACE,
                match.group("event") or match.group("role"),
                place,
                place,
                match.start("place"),
                match.group(0),
                role=match.group("role"),
            )
        )
    return found


@lru_cache(maxsize=4)
def _role_pattern(words: FactWords) -> re.Pattern:
    roles = "|".join(map(re.escape, words.place_roles))
    return re.compile(rf"以(?P<place>[^，。；以为]{{2,20}})为(?P<role>[^，。；]{{1,8}}?(?:{roles}))$")


def places(clause: Span, words: FactWords, date_subject: str) -> list[Finding]:
    """Venues ("在…会议上"), places with a role ("以X为Y区") and destinations ("进驻X")."""
    text, found = clause.text, []
    for match in VENUE.finditer(text):
        start = clause.start + match.start("place")
        found.append(Finding(PLACE, date_subject, match.group("place"), match.group("place"), start, text, role="会场"))
    for match in _role_pattern(words).finditer(text):
        found.append(
            Finding(
                PLACE,
                match.group("role"),
                match.group("place"),
                match.group("place"),
                clause.start + match.start() + 1,
                text,
                role=match.group("role"),
            )
        )
    for position, verb in _verb_positions(text, words.destinations):
        destination = text[position + len(verb) :].strip(TRIM)
        if destination:
            mover = base_name(clean_subject(text[:position], words), words)
            start = clause.start + position + len(verb)
            found.append(Finding(PLACE, mover, destination, destination, start, text, role=verb))
    return found


@lru_cache(maxsize=4)
def _person_pattern(words: FactWords) -> re.Pattern:
    roles = "|".join(map(re.escape, words.person_roles))
    return re.compile(
        rf"(?P<body>[\u4e00-\u9fff]{{2}}[区市县])(?P<role>{roles})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?=各位|[，。：\s]|$)"
    )


def people(clause: Span, words: FactWords) -> list[Finding]:
    """The office and name of a speaker ("历城区区长续明")."""
    return [
        Finding(
            PERSON,
            m.group("body") + m.group("role"),
            m.group("name"),
            m.group(0),
            clause.start + m.start(),
            clause.text,
            role=m.group("role"),
        )
        for m in _person_pattern(words).finditer(clause.text)
    ]


def named_facts(sentence: str, words: FactWords, policy: FactPolicy = DEFAULT_POLICY) -> list[Finding]:
    """Honours, dates, places, people and lists in a sentence."""
    found: list[Finding] = hosts(sentence)
    for clause in clauses_of(sentence):
        clause_dates = dates(clause)
        found += honours(clause, words) + clause_dates + people(clause, words)
        found += places(clause, words, clause_dates[0].indicator if clause_dates else "")
        found += enumerations(clause, words, policy)
    return found

"""Where a clause writes a figure (a number with its unit) or a rank, and what kind of figure it is.

A figure needs a unit: bare numbers are names ("12345市民服务热线"), years ("2022年") only count after
连续, and nothing inside quotes counts ("“八抓20条”"). A number glued to Latin letters ("5G", "U17",
"3A") or to a hyphen ("60-79岁") is a name or a range, never a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.facts.text import quoted
from ingest.facts.types import FIGURE, RANK
from ingest.facts.words import FactWords

PERCENT = ("%", "％")
RANK_UNIT = "位"
DURATION_CUE = "连续"
MAX_DURATION = 100  # "连续6年" counts years; a four-digit "年" is a date
CHINESE_ORDINAL = "一二三四五六七八九十"
RANK_END = "，。、；：！？"


@dataclass(frozen=True)
class Mention:
    type: str  # FIGURE or RANK
    start: int  # offsets in the clause, qualifiers included
    end: int
    text: str
    value: str
    unit: str
    qualifier: str
    scope: str  # ranks: "全市" in "全市第1位"


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, words))


@lru_cache(maxsize=4)
def _patterns(words: FactWords) -> tuple[re.Pattern, re.Pattern]:
    units = _alternatives(
        words.measure_units + words.money_units + words.count_units + words.duration_units + tuple(sorted(PERCENT))
    )
    inside, magnitude = "".join(words.qualifiers_inside), "".join(words.magnitudes)
    scope = f"(?P<scope>{_alternatives(words.rank_scopes)})?"
    figure = re.compile(
        rf"(?P<before>{_alternatives(words.qualifiers_before)})?"
        rf"(?:{scope}第(?P<place>\d+){RANK_UNIT}"
        rf"|(?P<value>(?<![A-Za-z0-9.\-－])\d+(?:\.\d+)?(?![A-Za-z])|[{''.join(words.numeral_money)}](?=[{magnitude}]))"
        rf"(?P<in1>[{inside}])?(?P<magnitude>[{magnitude}])?(?P<in2>[{inside}])?(?P<unit>{units})(?![A-Za-z])"
        rf"(?P<after>{_alternatives(words.qualifiers_after)})?)"
    )
    rank = re.compile(
        rf"{scope}(?:第(?P<ordinal>[{CHINESE_ORDINAL}]+)(?=[{RANK_END}]|$)|(?P<front>{_alternatives(words.rank_positions)})"
        rf"|(?P<strong>(?<![A-Za-z0-9.])\d+|百)强(?![{''.join(words.list_names)}]))"
    )
    return figure, rank


def _figure(match: re.Match, words: FactWords) -> Mention | None:
    if match.group("place"):
        value, unit, scope = match.group("place"), RANK_UNIT, match.group("scope") or ""
    else:
        value, unit, scope = match.group("value"), (match.group("magnitude") or "") + match.group("unit"), ""
        if not value.isdigit() and not value.replace(".", "", 1).isdigit() and not unit.endswith(words.money_units):
            return None  # 千/百 stand for a number only in money ("千亿元")
        if match.group("unit") in words.duration_units and (
            float(value) >= MAX_DURATION or not match.string[: match.start()].endswith(DURATION_CUE)
        ):
            return None
    qualifiers = [match.group(name) for name in ("before", "in1", "in2", "after") if match.groupdict().get(name)]
    return Mention(FIGURE, match.start(), match.end(), match.group(0), value, unit, "、".join(qualifiers), scope)


def mentions_in(clause: str, words: FactWords) -> list[Mention]:
    """Figures and ranks written in a clause, in order, none inside quotes."""
    figure_pattern, rank_pattern = _patterns(words)
    inside = quoted(clause)
    found = [m for m in map(lambda match: _figure(match, words), figure_pattern.finditer(clause)) if m]
    taken = {i for m in found for i in range(m.start, m.end)}
    for match in rank_pattern.finditer(clause):
        if taken.isdisjoint(range(match.start(), match.end())):
            ordinal = match.group("ordinal")
            value = f"第{ordinal}" if ordinal else match.group(0)[len(match.group("scope") or "") :]
            found.append(Mention(RANK, match.start(), match.end(), match.group(0), value, "", "", match.group("scope") or ""))
    return sorted((m for m in found if not inside[m.start]), key=lambda m: m.start)


def kind_of(mention: Mention, subject: str, words: FactWords) -> str:
    """rank, growth or share (percentages), money, total, measure, duration or count."""
    if mention.type == RANK or mention.unit == RANK_UNIT:
        return "rank"
    if mention.unit in PERCENT:
        if any(word in subject for word in words.share_words):
            return "share"
        return "growth" if any(word in subject for word in words.growth_words) else "share"
    if mention.unit.endswith(words.money_units):
        return "money"
    if any(word in subject for word in words.total_words):
        return "total"
    if mention.unit.endswith(words.measure_units):
        return "measure"
    return "duration" if mention.unit in words.duration_units else "count"

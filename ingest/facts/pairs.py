"""The same indicator in both years: a 2022 result and a 2023 target share a pair key.

The key is the indicator without what was done to it ("新增城乡公益性岗位" and "开发城乡公益性岗位"
are both 城乡公益性岗位), with the report's other spellings mapped by data/words/facts.toml [pairs]
("规模以上工业增加值" is 规上工业增加值). Only figures pair, and only when both years have the key.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ingest.facts.subjects import base_name
from ingest.facts.types import FIGURE, TARGET, Fact, FactPair
from ingest.facts.words import FactPolicy, FactWords


def pair_key(indicator: str, words: FactWords, policy: FactPolicy) -> str:
    """The name both years give an indicator, or "" when it is too generic to pair."""
    for name in (indicator, base_name(indicator, words)):
        if name in words.pair_aliases:
            return words.pair_aliases[name]
    key = base_name(indicator, words)
    for suffix in words.kind_suffixes:
        key = key.removesuffix(suffix)
    if key in words.pair_aliases:
        return words.pair_aliases[key]
    return key if len(key) >= policy.min_pair_key_chars and key not in words.generic_pair_keys else ""


def with_pair_keys(facts: list[Fact], words: FactWords, policy: FactPolicy) -> list[Fact]:
    """The facts, each figure whose indicator has both a result and a target carrying their shared key."""
    years: dict[str, set[bool]] = defaultdict(set)
    keys = [pair_key(f.indicator, words, policy) if f.type == FIGURE else "" for f in facts]
    for fact, key in zip(facts, keys):
        if key:
            years[key].add(fact.status == TARGET)
    return [replace(fact, pair_key=key) if key and len(years[key]) == 2 else fact for fact, key in zip(facts, keys)]


def pair_facts(facts: list[Fact]) -> list[FactPair]:
    """Every indicator the report gives for both years, in the order the report first names it."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.pair_key:
            groups[fact.pair_key].append(fact)
    return [
        FactPair(key, tuple(f for f in group if f.status != TARGET), tuple(f for f in group if f.status == TARGET))
        for key, group in groups.items()
    ]

"""The domain vocabulary (data/synonyms.toml): citizens' words, the report's words, and year words."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rag.resources import data_file

DEFAULT_VOCABULARY = data_file("synonyms.toml")


@dataclass(frozen=True)
class TermGroup:
    official: tuple[str, ...]  # how the report says it
    everyday: tuple[str, ...]  # how a citizen might say it


@dataclass(frozen=True)
class Vocabulary:
    relative_years: dict[str, int]  # "去年" → -1: offset from the year the report plans for
    plan_words: tuple[str, ...]
    result_words: tuple[str, ...]
    terms: tuple[TermGroup, ...]
    figure_words: tuple[str, ...] = ()  # words that ask for a figure ("多少", "比重")
    shorter_periods: tuple[str, ...] = ()  # periods a yearly report gives no figure for ("上个月")
    unit_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "元" → ("多少钱", …)

    def asks_figure(self, text: str) -> bool:
        return any(word in text for word in self.figure_words)

    def asked_unit(self, text: str) -> str | None:
        """The unit a question's wording asks a figure in ("投了多少" → 元), if any."""
        return next((unit for unit, words in self.unit_words.items() if any(w in text for w in words)), None)

    def asks_plan(self, text: str) -> bool:
        return any(word in text for word in self.plan_words)

    def asks_result(self, text: str) -> bool:
        return any(word in text for word in self.result_words) and not self.asks_plan(text)

    def official_terms_for(self, text: str) -> list[str]:
        """The report's terms for every everyday word found in `text` (each once, in file order)."""
        found: dict[str, None] = {}
        for group in self.terms:
            if any(word in text for word in group.everyday):
                found.update(dict.fromkeys(group.official))
        return list(found)

    def words(self) -> set[str]:
        """Every term and everyday word, so the tokenizer keeps each in one piece."""
        return {w for g in self.terms for w in g.official + g.everyday} | set(self.relative_years)


def parse_vocabulary(data: dict) -> Vocabulary:
    years = data.get("years", {})
    return Vocabulary(
        relative_years={word: int(offset) for word, offset in years.get("relative", {}).items()},
        plan_words=tuple(years.get("plan_words", ())),
        result_words=tuple(years.get("result_words", ())),
        terms=tuple(TermGroup(tuple(official.split()), tuple(everyday)) for official, everyday in data.get("terms", {}).items()),
        figure_words=tuple(data.get("asks", {}).get("figure_words", ())),
        shorter_periods=tuple(sorted(years.get("shorter_periods", ()), key=len, reverse=True)),
        unit_words={unit: tuple(words) for unit, words in data.get("asks", {}).get("unit_words", {}).items()},
    )


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    with open(path, "rb") as file:
        return parse_vocabulary(tomllib.load(file))

"""The word lists the fact extractor reads (data/words/facts.toml) and the limits it works within."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

# data/ ships as the package `reportqa_data` (see pyproject.toml), in a checkout and in a wheel alike.
DATA_PACKAGE = "reportqa_data"
FACT_WORDS_FILE = "words/facts.toml"


@dataclass(frozen=True)
class FactPolicy:
    # A coordinated modifier ("省级" in "6个省级、32个市级重点项目") is at most this long; longer pieces are
    # whole items of their own. Larger shares heads between more pieces, at the risk of gluing unrelated ones.
    max_modifier_chars: int = 3
    # A subject shorter than this ("惠及", "床位") is composed on the name before it ("设立发热门诊床位"). Higher
    # composes more, at the risk of gluing a complete short name ("外资") onto an unrelated one.
    min_subject_chars: int = 3
    # Longest clause read as the owner of an aspect when no figure came before ("持续改善空气质量，综合指数…" →
    # 空气质量综合指数). Longer finds more owners, at the risk of a whole clause standing in as a name.
    max_owner_chars: int = 8
    # Shortest pair key: shorter ones ("项目") are too generic to say two figures measure the same thing.
    min_pair_key_chars: int = 3
    # Longest enumeration item; a longer first item is cut at its action verb, or the list is dropped.
    max_item_chars: int = 16


DEFAULT_POLICY = FactPolicy()


# Compared by identity: one loaded file is one set of words, and the patterns built from it are cached by it.
@dataclass(frozen=True, eq=False)
class FactWords:
    count_units: tuple[str, ...]
    measure_units: tuple[str, ...]
    money_units: tuple[str, ...]
    duration_units: tuple[str, ...]
    magnitudes: tuple[str, ...]
    numeral_money: tuple[str, ...]
    qualifiers_before: tuple[str, ...]
    qualifiers_after: tuple[str, ...]
    qualifiers_inside: tuple[str, ...]
    estimate_words: tuple[str, ...]
    lead_words: tuple[str, ...]
    link_words: tuple[str, ...]
    aspects: tuple[str, ...]
    not_example_lists: tuple[str, ...]
    conjunctions: tuple[str, ...]
    verbs: tuple[str, ...]
    adverbs: tuple[str, ...]
    pair_aliases: dict[str, str]  # surface form → pair key
    generic_pair_keys: tuple[str, ...]
    kind_suffixes: tuple[str, ...]
    compounds: dict[str, tuple[str, ...]]
    rank_scopes: tuple[str, ...]
    rank_verbs: tuple[str, ...]
    rank_positions: tuple[str, ...]
    list_names: tuple[str, ...]
    honours_won: tuple[str, ...]
    honours_aimed: tuple[str, ...]
    title_words: tuple[str, ...]
    title_ends: tuple[str, ...]
    place_roles: tuple[str, ...]
    destinations: tuple[str, ...]
    list_openers: tuple[str, ...]
    person_roles: tuple[str, ...]
    ceremony: tuple[str, ...]
    opening_sections: tuple[str, ...]
    event_words: tuple[str, ...]
    growth_words: tuple[str, ...]
    share_words: tuple[str, ...]
    total_words: tuple[str, ...]


def _longest_first(words: list[str]) -> tuple[str, ...]:
    """Alternatives tried in order must try "新建改建" before "新建"."""
    return tuple(sorted(words, key=len, reverse=True))


def parse_fact_words(data: dict) -> FactWords:
    units, qualifiers, subjects = data["units"], data["qualifiers"], data["subjects"]
    ranks, honours = data["ranks"], data["honours"]
    aliases = {form: key for key, forms in data["pairs"]["aliases"].items() for form in [key, *forms]}
    return FactWords(
        count_units=_longest_first(units["count"]),
        measure_units=_longest_first(units["measure"]),
        money_units=_longest_first(units["money"]),
        duration_units=tuple(units["duration"]),
        magnitudes=tuple(units["magnitude"]),
        numeral_money=tuple(units["numeral_money"]),
        qualifiers_before=_longest_first(qualifiers["before"]),
        qualifiers_after=_longest_first(qualifiers["after"]),
        qualifiers_inside=tuple(qualifiers["inside"]),
        estimate_words=tuple(qualifiers["estimate"]),
        lead_words=_longest_first(subjects["lead_words"]),
        link_words=_longest_first(subjects["link_words"]),
        aspects=_longest_first(subjects["aspects"]),
        not_example_lists=tuple(subjects["not_example_lists"]),
        conjunctions=tuple(subjects["conjunctions"]),
        verbs=_longest_first(data["actions"]["verbs"]),
        adverbs=_longest_first(data["actions"]["adverbs"]),
        pair_aliases=aliases,
        generic_pair_keys=tuple(data["pairs"]["generic"]),
        kind_suffixes=tuple(data["pairs"]["kind_suffixes"]),
        compounds={word: tuple(parts) for word, parts in data["compounds"].items()},
        rank_scopes=tuple(ranks["scopes"]),
        rank_verbs=_longest_first(ranks["verbs"]),
        rank_positions=tuple(ranks["positions"]),
        list_names=tuple(ranks["list_names"]),
        honours_won=_longest_first(honours["won"]),
        honours_aimed=_longest_first(honours["aimed"]),
        title_words=tuple(honours["title_words"]),
        title_ends=tuple(honours["title_ends"]),
        place_roles=tuple(data["places"]["roles"]),
        destinations=tuple(data["places"]["destinations"]),
        list_openers=_longest_first(data["enumerations"]["openers"]),
        person_roles=_longest_first(data["people"]["roles"]),
        ceremony=tuple(data["non_answers"]["ceremony"]),
        opening_sections=tuple(data["non_answers"]["opening_sections"]),
        event_words=tuple(data["non_answers"]["event_words"]),
        growth_words=tuple(data["kinds"]["growth"]),
        share_words=tuple(data["kinds"]["share"]),
        total_words=tuple(data["kinds"]["total"]),
    )


def default_words_file() -> Path:
    return Path(str(files(DATA_PACKAGE).joinpath(FACT_WORDS_FILE)))


class FactWordsError(ValueError):
    """The word list is missing, unreadable or lacks a class; the message names the file and what is wrong."""


@lru_cache(maxsize=4)
def load_fact_words(path: Path | None = None) -> FactWords:
    path = path or default_words_file()
    try:
        with open(path, "rb") as file:
            return parse_fact_words(tomllib.load(file))
    except OSError as error:
        raise FactWordsError(f"无法读取词表 / cannot read the fact word list {path}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise FactWordsError(f"词表格式错误 / the fact word list {path} is not valid TOML: {error}") from error
    except KeyError as error:
        raise FactWordsError(f"词表缺少类别 / the fact word list {path} lacks the class {error}") from error

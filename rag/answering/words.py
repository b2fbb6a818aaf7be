"""The word lists the answer engine reads questions with (data/words/answering.toml), as typed data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.answering.intent import Kind, SmallTalk
from rag.resources import data_file

DEFAULT_WORDS = data_file("words/answering.toml")


@dataclass(frozen=True)
class AnswerWords:
    generic: frozenset[str]  # words that name no topic
    asking: frozenset[str]  # generic words that are only the asking, never a topic even as a last resort
    off_topic: frozenset[str]  # everyday subjects the report never speaks of as such
    attached: frozenset[str]  # characters glued onto the front of a word ("在全省")
    procedure_actions: tuple[str, ...]  # what a procedure question asks to do ("申请")
    kind_cues: tuple[tuple[Kind, tuple[str, ...]], ...]  # in the order they are checked
    change_cues: tuple[str, ...]  # asks how much something changed
    level_cues: tuple[str, ...]  # asks for a level, which a percentage does not give
    measure_units: tuple[str, ...]  # units a figure must match ("多少公里")
    per_item: tuple[str, ...]  # asks for a figure per household, person or item ("每户")
    superlative: tuple[str, ...]  # asks for the first of several ("最大的")
    before: tuple[str, ...]  # asks for the value before a change ("提高之前是多少")
    followup_openers: tuple[str, ...]
    followup_closers: tuple[str, ...]
    pronouns: tuple[str, ...]
    part_markers: tuple[str, ...]  # asks for a part of the previous turn's whole ("其中…")
    after_done: tuple[str, ...]  # opens a question about the previous turn's thing once done ("建好以后…")
    same_as: tuple[str, ...]  # compares with the previous turn's figure ("也是这么多吗")
    joiners: tuple[str, ...]
    question_words: tuple[str, ...]  # a part holding one is a question of its own
    requests: tuple[str, ...]  # a part of nothing but one says how to answer the part before
    distributive: tuple[str, ...]
    conjunctions: tuple[str, ...]
    phrase_ends: frozenset[str]
    small_talk: tuple[tuple[SmallTalk, frozenset[str]], ...]
    kind_nouns: dict[Kind, str]  # "具体金额": what a refusal says the report does not give


def parse_words(data: dict) -> AnswerWords:
    kinds = data["kinds"]
    followup, multipart = data["followup"], data["multipart"]
    return AnswerWords(
        generic=frozenset(word for words in data["generic"].values() for word in words),
        asking=frozenset(data["generic"]["asking"]),
        off_topic=frozenset(data["off_topic"]["words"]),
        attached=frozenset(data["attached"]["chars"]),
        procedure_actions=tuple(data["procedure_actions"]["words"]),
        kind_cues=tuple((Kind(name), tuple(cues)) for name, cues in kinds.items()),
        change_cues=tuple(data["change"]["words"]),
        level_cues=tuple(data["level"]["words"]),
        measure_units=tuple(sorted(data["units"]["measure"], key=len, reverse=True)),
        per_item=tuple(data["per_item"]["asks"]),
        superlative=tuple(data["superlative"]["asks"]),
        before=tuple(data["before"]["asks"]),
        followup_openers=tuple(sorted(followup["openers"], key=len, reverse=True)),
        followup_closers=tuple(followup["closers"]),
        pronouns=tuple(followup["pronouns"]),
        part_markers=tuple(followup["parts"]),
        after_done=tuple(followup["after_done"]),
        same_as=tuple(followup["same_as"]),
        joiners=tuple(multipart["joiners"]),
        requests=tuple(multipart["requests"]),
        question_words=tuple(multipart["question_words"]),
        distributive=tuple(multipart["distributive"]),
        conjunctions=tuple(multipart["conjunctions"]),
        phrase_ends=frozenset(multipart["phrase_ends"]),
        small_talk=tuple((SmallTalk(name), frozenset(w.lower() for w in words)) for name, words in data["small_talk"].items()),
        kind_nouns={Kind(name): noun for name, noun in data["kind_nouns"].items()},
    )


@lru_cache(maxsize=4)
def load_words(path: Path = DEFAULT_WORDS) -> AnswerWords:
    with open(path, "rb") as file:
        return parse_words(tomllib.load(file))

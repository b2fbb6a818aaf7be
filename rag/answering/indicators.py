"""Do two sentences give a figure of the same indicator? The fact index pairs a result with its target by a key
("市政道路": 2022's 21条道路, 2023's 44条市政道路); indicator names that share a long run of characters name the
same thing too. Read by decide.py to tell the other year's figure of the thing asked from a figure of another.
"""

from __future__ import annotations

from rag.answering.evidence import clauses_of
from rag.answering.select import Candidate

# Two indicator names sharing a run this long name the same thing ("规上生物医药企业…").
SAME_NAME_CHARS = 6


def same_indicator(a: Candidate, b: Candidate) -> bool:
    """Do two sentences give a figure of the same indicator (the fact index pairs a result with its target)?"""
    keys_a = {f.pair_key for f in a.sentence.facts if f.pair_key}
    if keys_a & {f.pair_key for f in b.sentence.facts if f.pair_key}:
        return True
    names_a = {f.indicator for f in a.sentence.facts if len(f.indicator) >= 2}
    names_b = {f.indicator for f in b.sentence.facts if len(f.indicator) >= 2}
    return any(common_run(x, y) >= min(SAME_NAME_CHARS, len(x), len(y)) for x in names_a for y in names_b)


def answers_pair(a: Candidate, b: Candidate) -> bool:
    """Do the clauses that answer in two sentences give figures the fact index pairs (a result and its target)?
    Only those clauses: "新建19处中小学、幼儿园，新增学位1.7万个" pairs with 2023's 12所 by its 19处, not by 学位."""
    keys_a, keys_b = answering_pair_keys(a), answering_pair_keys(b)
    return bool(keys_a & keys_b)


def answering_pair_keys(candidate: Candidate) -> set[str]:
    clauses = clauses_of(candidate.text)
    answering = [clauses[i].rstrip("，；：") for i in candidate.answer_clauses if i < len(clauses)]
    return {
        f.pair_key
        for f in candidate.sentence.facts
        if f.pair_key and f.clause and any(clause in f.clause or f.clause in clause for clause in answering)
    }


def common_run(a: str, b: str) -> int:
    """Length of the longest run of characters both names share ("规上生物医药企业产值规模", "…工业总产值")."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best

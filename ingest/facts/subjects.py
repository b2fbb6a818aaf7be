"""What a figure measures, read from the words around it: subjects cleaned of verbs, links and examples.

"预计实现地区生产总值1265亿元" measures 地区生产总值; "新建临港北路、兴港南路等21条道路" counts 新建道路
(the examples before 等 are dropped, the action kept); "总量达到555家" after "新增高新技术企业174家"
is 高新技术企业总量 (an aspect takes the name of the thing before it).
"""

from __future__ import annotations

from ingest.facts.words import FactWords

EXAMPLES_END = "等"
TRIM = " ，、；：。的"


def _strip_start(text: str, words: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for word in words:
            if text.startswith(word):
                text, changed = text[len(word) :], True
                break
    return text


def _strip_end(text: str, words: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for word in words:
            if text.endswith(word):
                text, changed = text[: -len(word)], True
                break
    return text


def examples_end(text: str, words: FactWords) -> int:
    """Index just past the 等 that closes a list of examples ("力诺阳光等"), or -1."""
    index = text.rfind(EXAMPLES_END)
    while index > 0 and any(text[max(0, index - len(w) + 1) : index + 1] == w for w in words.not_example_lists):
        index = text.rfind(EXAMPLES_END, 0, index)
    return index + 1 if index > 0 else -1


def action_before(text: str, words: FactWords) -> str:
    """The action that opens `text`, adverbs included ("有序改造化纤厂" → "有序改造"), or ""."""
    positions = [(text.find(verb), -len(verb), verb) for verb in words.verbs if verb in text]
    if not positions:
        return ""
    position, _, verb = min(positions)
    opening = text[:position]
    return opening + verb if not opening or _strip_start(opening, words.adverbs + words.lead_words) == "" else ""


def without_examples(text: str, words: FactWords) -> str:
    """Drop a list of examples, keeping the action before it: "新建十里堡等社区公园" → "新建社区公园"."""
    end = examples_end(text, words)
    if end < 0:
        return text
    return action_before(text[:end], words) + text[end:]


def clean_subject(left: str, words: FactWords) -> str:
    """The subject a figure's left context names: examples, opening words and linking verbs dropped."""
    subject = without_examples(left.strip(TRIM), words).strip(TRIM)
    subject = _strip_start(subject, words.lead_words)
    subject = _strip_end(subject, words.link_words).strip(TRIM)
    if len(subject) > 2 and subject.endswith(words.conjunctions):  # "…和" before a figure, not the 及 of "惠及"
        subject = subject[:-1]
    return subject


def clean_action(left: str, words: FactWords) -> str:
    """What is done to the things a figure counts, written before it: "完成7个村" → "完成", "新建、提升20处" kept whole."""
    action = without_examples(left.strip(TRIM), words).strip(TRIM)
    return _strip_start(action, tuple(w for w in words.lead_words if w not in words.verbs)).strip(TRIM)


def base_name(indicator: str, words: FactWords) -> str:
    """The thing itself, without what was done to it: "新增高新技术企业" → "高新技术企业"."""
    return _strip_start(indicator, words.lead_words + words.adverbs + words.verbs).strip(TRIM)


def names_nothing(text: str, words: FactWords) -> bool:
    """Does the text open with an action ("全面推进") rather than name a thing ("重点领域")?"""
    return _strip_start(text, words.adverbs).startswith(words.verbs + words.link_words)


def is_aspect(subject: str, words: FactWords) -> bool:
    """Does the subject name only an aspect ("总量", "占GDP比重") of something named before it?"""
    return subject in words.aspects or subject.startswith("占")


def ends_with_conjunction(text: str, words: FactWords) -> bool:
    return text.rstrip().endswith(words.conjunctions)


def share_head(items: list[str]) -> list[str]:
    """Coordinated items share what only one of them spells out.

    Short first items take the last item's head (["工业", "技改投资增速"] → 工业投资增速, 技改投资增速);
    a short last item takes the first item's modifier (["安全生产事故起数", "死亡人数"] → 安全生产死亡人数).
    """
    first, last = items[0], items[-1]
    heads = [item + last[len(item) :] if len(item) < len(last) else item for item in items[:-1]]
    return heads + [first[: len(first) - len(last)] + last if len(last) < len(first) else last]


def spell_out(subject: str, count: int, words: FactWords) -> list[str]:
    """Read one subject as `count` subjects, for "A、B…分别…x、y" and "城乡…分别…x和y"; [] if it does not split."""
    items = [item for item in subject.split("、") if item]
    if len(items) == count:
        return share_head(items)
    for compound, parts in words.compounds.items():
        if compound in subject and len(parts) == count:
            return [subject.replace(compound, part, 1) for part in parts]
    return []

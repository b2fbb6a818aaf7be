"""Questions that lean on others.

Follow-ups: "那2023年呢？" after "2022年新增了多少学位？" asks about 2023 school places.
Two-part questions: "去年疫情防控投了多少钱，今年医疗资源上有什么打算？" is answered part by part.
"""

from __future__ import annotations

import re

import jieba
import jieba.posseg

from rag.retrieval.query import FULL_YEAR, SHORT_YEAR, asked_years
from rag.text.vocabulary import Vocabulary

LEADING = re.compile(r"^(?:那么|那|还有|另外|再问一下|再问|同样|然后|和|跟|以及)")
TRAILING = re.compile(r"(?:呢|吗|怎么样|如何|多少)?[？?。！!\s]*$")
MAX_FOLLOWUP_CHARS = 15


def previous_question(history: list[dict] | None) -> str:
    for turn in reversed(history or []):
        if isinstance(turn, dict) and turn.get("role") == "user" and str(turn.get("content", "")).strip():
            return str(turn["content"]).strip()
    return ""


def names_no_topic(question: str) -> bool:
    """No noun of its own ("今年打算再新增多少家？"): the topic is in the turn before."""
    return not any(
        (tag.startswith("n") and tag != "nr" and len(word) >= 2) or re.search("[A-Za-z]", word)
        for word, tag in jieba.posseg.cut(question)
    )


def is_followup(question: str) -> bool:
    """Elliptical: names no topic of its own, or is short and starts with 那/还有… or ends with 呢."""
    if names_no_topic(question):
        return True
    return len(question) <= MAX_FOLLOWUP_CHARS and bool(LEADING.match(question) or re.search(r"呢[？?]*$", question))


def replace_years(text: str, year_text: str, vocabulary: Vocabulary) -> str:
    """`text` with every year expression ("2022年", "22年", "去年") replaced by `year_text`."""
    words = sorted(vocabulary.relative_years, key=len, reverse=True)
    pattern = "|".join([FULL_YEAR.pattern, SHORT_YEAR.pattern] + [re.escape(w) for w in words])
    replaced, count = re.subn(pattern, year_text, text)
    return replaced if count else f"{year_text}{text}"


def resolve_followup(question: str, history: list[dict] | None, report_year: int, vocabulary: Vocabulary) -> str:
    """The question to search for: the follow-up completed from the previous user question."""
    earlier = previous_question(history)
    if not earlier or not is_followup(question):
        return question
    core = TRAILING.sub("", LEADING.sub("", question)).strip()
    years = asked_years(core, report_year, vocabulary)
    if years:
        new_year = f"{years[-1][0]}年"
        rest = re.sub(
            "|".join([FULL_YEAR.pattern, SHORT_YEAR.pattern] + [re.escape(w) for w in vocabulary.relative_years]), "", core
        ).strip()
        base = replace_years(earlier, new_year, vocabulary)
        return f"{base} {rest}".strip() if rest else base
    # A new topic in the same frame ("那公厕呢？"): keep the earlier question's year, ask about the new topic.
    earlier_years = asked_years(earlier, report_year, vocabulary)
    prefix = f"{earlier_years[-1][0]}年" if earlier_years else ""
    return f"{prefix}{core}" if core else earlier


COMPOUND_SPLIT = re.compile(r"[，；,;]|[？?](?=.)|(?:另外|还有|以及)(?=.)")
QUESTION_WORD = re.compile(r"什么|多少|哪些|哪个|几|怎么样|如何|吗|呢|啥|是否")


def split_compound(question: str) -> list[str]:
    """ "去年疫情防控投了多少钱，今年医疗资源上有什么打算？" → two questions; a plain question stays whole."""
    parts = [p.strip() for p in COMPOUND_SPLIT.split(question) if p.strip()]
    if len(parts) > 1 and all(QUESTION_WORD.search(p) for p in parts):
        return parts
    return split_conjunction(question)


CONJUNCTION = frozenset("和 与 及 以及 跟".split())
# Words that show a question asks about each of two things ("各", "分别", "在…方面").
DISTRIBUTIVE = re.compile(r"各|分别|方面|都")
YEAR_WORD = re.compile(r"年|历城")
PHRASE_END = frozenset("各 分别 方面 都 的 有 在 上 里 等".split())


def split_conjunction(question: str) -> list[str]:
    """ "去年历城在养老和低保方面做了什么？" → "…在养老方面…", "…在低保方面…"."""
    if not DISTRIBUTIVE.search(question):
        return [question]
    words = list(jieba.cut(question))
    joint = next((i for i, w in enumerate(words) if w in CONJUNCTION and 0 < i < len(words) - 1), None)
    if joint is None:
        return [question]
    start = joint - 1
    while (
        start > 0
        and words[start - 1] not in PHRASE_END
        and re.fullmatch(r"[\u4e00-\u9fff]+", words[start - 1])
        and not YEAR_WORD.search(words[start - 1])
    ):
        start -= 1
    end = joint + 1
    while end + 1 < len(words) and words[end + 1] not in PHRASE_END and re.fullmatch(r"[\u4e00-\u9fff]+", words[end + 1]):
        end += 1
    first, second = "".join(words[start:joint]), "".join(words[joint + 1 : end + 1])
    before, after = "".join(words[:start]), "".join(words[end + 1 :])
    return [before + first + after, before + second + after]

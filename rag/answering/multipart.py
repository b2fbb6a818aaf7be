"""Several questions in one message, answered one by one.

"去年疫情防控投了多少钱，今年医疗资源上有什么打算？" → two questions; "去年历城在养老和低保方面做了什么？"
→ one about 养老 and one about 低保. A plain question stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.answering.reading import is_question
from rag.answering.words import AnswerWords

HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")
# Without 各/分别, two things joined by 和 are asked about separately only when each is a name of this length:
# "企业和个体户" is one group, "孵化器和众创空间" two kinds of places.
MIN_NAME_CHARS = 3
# A year named by number or relative word ("2022年", "去年"): two years joined are one question asked of both.
YEAR_WORD = re.compile(r"(?:\d{2,4}|[去今前明上本后])年(?:度)?")


def split_questions(question: str, words: AnswerWords, segment: Callable[[str], list[str]]) -> list[str]:
    joiners = "|".join(re.escape(j) for j in words.joiners)
    pattern = rf"[，；,;]|[？?](?=.)|(?:{joiners})(?=.)"
    parts: list[str] = []
    for part in (p.strip() for p in re.split(pattern, question) if p and p.strip()):
        if parts and only_asks_how(part, words):  # "今年要建哪些东西？列一下": one question and how to answer it
            parts[-1] += "，" + part
        else:
            parts.append(part)
    asking = [is_question(p, words) for p in parts]
    # What the citizen says before asking ("下大雨路上老积水，今年河道防洪整治多少公里？雨污混流的管子改几个？")
    # sets the scene of the first question, not a question of its own.
    scene = asking.index(True) if True in asking else 0
    if scene:
        parts[: scene + 1] = ["，".join(parts[: scene + 1])]
        asking[: scene + 1] = [True]
    if len(parts) > 1 and all(asking):
        return parts
    return split_conjunction(question, words, segment)


def only_asks_how(part: str, words: AnswerWords) -> bool:
    """Does this clause hold nothing but how to answer ("列一下", "说说")?"""
    for request in sorted(words.requests, key=len, reverse=True):
        part = part.replace(request, "")
    return not HAN_WORD.search(part)


def split_conjunction(question: str, words: AnswerWords, segment: Callable[[str], list[str]]) -> list[str]:
    """ "去年历城在养老和低保方面做了什么？" → "…在养老方面…", "…在低保方面…": when 各/分别/方面 asks for each,
    or when both sides are names of four characters or more ("服务业增加值和规上服务业营收的目标")."""
    distributive = any(w in question for w in words.distributive)
    tokens = segment(question)
    joint = next((i for i, w in enumerate(tokens) if w in words.conjunctions and 0 < i < len(tokens) - 1), None)
    if joint is None or YEAR_WORD.fullmatch(tokens[joint - 1]) or YEAR_WORD.fullmatch(tokens[joint + 1]):
        return [question]  # "去年和今年…分别是多少": one question about two years, answered side by side

    def inside(token: str) -> bool:
        return (
            token not in words.phrase_ends
            and bool(HAN_WORD.fullmatch(token))
            and "年" not in token
            and token not in words.generic
        )

    start = joint - 1
    while start > 0 and inside(tokens[start - 1]):
        start -= 1
    end = joint + 1
    while end + 1 < len(tokens) and inside(tokens[end + 1]):
        end += 1
    first, second = "".join(tokens[start:joint]), "".join(tokens[joint + 1 : end + 1])
    if not distributive and min(len(first), len(second)) < MIN_NAME_CHARS:
        return [question]
    if any(w in first or w in second for w in words.question_words):
        return [question]  # "是跟哪里结对": 跟 joins the asking to a question word, not two things
    before, after = "".join(tokens[:start]), "".join(tokens[end + 1 :])
    return [before + first + after, before + second + after]

"""Does a clause hold the kind of answer a question wants? Read from the sentence's typed facts where the fact
index types it (honours, places, people, ranks, lists), and from the figure's own form otherwise (元, %, 年).
"""

from __future__ import annotations

import re

from ingest.facts import Fact
from rag.answering.intent import Intent, Kind

CLAUSE = re.compile(r"[^，；：]+[，；：]?")
FIGURE = re.compile(r"\d+(?:\.\d+)?|[一二三四五六七八九十两]+[个项件大种条类所家处批]")
MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:美)?元")
RATE = re.compile(r"\d+(?:\.\d+)?%")
RANK = re.compile(r"第[一二三四五六七八九十百\d]+|前列|首位|\d+强|百强|前十")
DATE = re.compile(r"\d+\s*月|\d+\s*日|年底|年内|上半年|下半年|\d{4}年")
YEAR_ONLY = re.compile(r"(?:19|20)\d\d年")
# A figure that is a change ("增长6%", "新增学位1.7万个"), not a level ("提高到995元").
CHANGE_VERB = re.compile(r"(?:增长|提高|提升|下降|降低|减少|增加|上升|增幅|增速|新增|分别增长)(?:了)?[^\d，；到至]{0,8}\d")
# Items of a list: separated by 、, in parallel clauses ("以…为…区"), or each in its own quotes ("“泉水草莓”“唐王锦鲤”").
# How far before its figure a change verb may stand ("新增高新技术企业174家").
CHANGE_REACH = 12
# Or named as examples of a counted whole ("开工济滨高铁等62个新项目").
ENUMERATION = re.compile(r"[^、，]+、[^、，]+、|(?:以[^，]+为[^，]+，){2}|(?:“[^”]+”){2}|[^，、]{2,}等\d+[个项家所处条座]")

# A place named by its administrative level ("甘肃省东乡县", "唐王街道"), not a level of something ("村级",
# "市民", "乡村振兴", "全省"); 区 and 园 end names of projects too.
PLACE = re.compile(r"[\u4e00-\u9fff]{2,}?(?<![全本])(?:省|市|县|镇|乡|街道|村)(?!级|民|委|容|务|域|里|内|集体|振兴)")
FACT_KINDS = {
    Kind.RANK: {"rank"},
    Kind.PLACE: {"place"},
    Kind.PERSON: {"person"},
    Kind.HONOUR: {"honour"},
    Kind.LIST: {"enumeration"},
}


def changed_by(figure: str, clause: str) -> bool:
    """Is this figure of the clause a change ("增长448%", "新增学位1.7万个") rather than a level?"""
    at = clause.find(figure)
    return at >= 0 and bool(CHANGE_VERB.search(clause[max(0, at - CHANGE_REACH) : at + len(figure)]))


def clauses_of(sentence: str) -> list[str]:
    return [c for c in CLAUSE.findall(sentence) if c.strip()]


def has_figure(clause: str) -> bool:
    """A figure other than a bare year."""
    return bool(FIGURE.search(YEAR_ONLY.sub("", clause)))


def holds_kind(clause: str, facts: tuple[Fact, ...], intent: Intent, achieved_event: bool) -> bool:
    """Does this clause hold what the intent asks for? `facts` are the sentence's facts whose clause this is.

    `achieved_event`: the clause reports, as done in the year under review, the very event asked about.
    """
    kind = intent.kind
    if kind is Kind.PROCEDURE:
        return bool(intent.action) and intent.action in clause
    typed = FACT_KINDS.get(kind, set())
    if any(f.type in typed for f in facts):
        return True
    if kind is Kind.MONEY:
        return bool(MONEY.search(clause)) and (not intent.change or bool(CHANGE_VERB.search(clause)))
    if kind is Kind.RATE:
        return bool(RATE.search(clause)) and (not intent.change or bool(CHANGE_VERB.search(clause)))
    if kind is Kind.RANK:
        return bool(RANK.search(clause))
    if kind is Kind.DATE:
        # Something already achieved happened in the year under review: its year answers "什么时候".
        return bool(DATE.search(clause)) or achieved_event
    if kind is Kind.LIST:
        return bool(ENUMERATION.search(clause))
    if kind is Kind.AMOUNT:
        if not has_figure(clause):
            return False
        if intent.change and not CHANGE_VERB.search(clause):
            return False
        if intent.level and not has_figure(RATE.sub("", clause)):
            return False
        return not intent.unit or bool(re.search(rf"\d+(?:\.\d+)?\s*(?:万|亿)?{re.escape(intent.unit)}", clause))
    if kind is Kind.PLACE:
        return bool(PLACE.search(clause))
    if kind in (Kind.PERSON, Kind.HONOUR):
        return False
    return True  # NAME, YES_NO, GENERAL: any clause about the topic

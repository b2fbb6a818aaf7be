"""What kind of figure a question asks for, and whether a clause of the report holds one.

"多少钱" wants 元, "多少套" wants 套, "增长多少" a percentage, "第几" a rank, "什么时候" a date.
When no clause about the question's topic holds that kind of figure, the report does not answer it.
"""

from __future__ import annotations

import re

QUANTITY = re.compile(
    r"多少|几|数量|规模|比例|比重|增长|增速|增幅|百分|率|面积|金额|多大|多长|多高|第几|排名|总额|总量|产值|收入|目标"
)
LISTING = re.compile(r"哪些|有什么|都有|包括|列举|几个方面|哪几|什么项目|什么活动")
# What kind of figure a question wants. Money must come in 元; "多少套/公里/亩…" in that unit; a "when"
# question needs a date. When no retrieved sentence has the right kind of figure, the report does not answer.
ASKS_MONEY = re.compile(r"多少钱|几块钱|多少元|多少亿|多少万元|几亿|金额|预算是多少|资金多少")
ASKED_UNIT = re.compile(r"(?:多少|几)(套|公里|亩|平方米|吨|户|天|张)")
ASKS_RATE = re.compile(r"增长了?多少|增速|增幅|增长率|百分之几|涨了?多少|降了?多少|下降了?多少|少了多少|多了多少")
ASKS_RANK = re.compile(r"第几|排第|排名|排在|名次")
RANK = re.compile(r"第[一二三四五六七八九十百\d]+|前列|首位|\d+强|百强")
ASKS_WHEN = re.compile(r"什么时候|何时|哪一年|哪年|几月|哪天|啥时候|多久")
DATE = re.compile(r"\d+\s*(?:年|月|日)|年底|年内|上半年|下半年")
CLAUSE = re.compile(r"[^，；]+[，；]?")


def clauses_of(sentence: str) -> list[str]:
    return [c for c in CLAUSE.findall(sentence) if c.strip()]


def clause_fits(question: str, clause: str, achieved: bool, event_words: list[str]) -> bool:
    """Does this clause hold the kind of figure the question asks for (money, unit, rate, rank, date)?

    A "when" question is answered by a date, or, for something already achieved, by the year under
    review, provided the clause names the same event ("历城站投入使用" answers "什么时候投入使用").
    """
    if ASKS_WHEN.search(question) and not DATE.search(clause):
        # Something already achieved happened in the year under review, if the clause names the
        # very event asked about ("历城站投入使用"; "主体封顶" does not answer "什么时候开业").
        if not (achieved and all(word in clause for word in event_words)):
            return False
    if ASKS_MONEY.search(question) and not re.search(r"\d+(?:\.\d+)?\s*(?:万|亿)?(?:美)?元", clause):
        return False
    if ASKS_RATE.search(question) and not re.search(r"\d+(?:\.\d+)?%", clause):
        return False
    if ASKS_RANK.search(question) and not RANK.search(clause):
        return False
    unit = ASKED_UNIT.search(question)
    return not unit or bool(re.search(rf"\d+(?:\.\d+)?\s*(?:万|亿)?{unit.group(1)}", clause))


FIGURE_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?(?:万|亿)?)((?:公里|平方米|[个家户所处条座套项人元亩吨天张件场批位%])?)")


def figures_in_question(question: str) -> list[tuple[str, str]]:
    """Figures a citizen quotes to check them ("是6.5万户吗？"), years aside: (with unit, bare)."""
    return [
        (m.group(0), m.group(1)) for m in FIGURE_WITH_UNIT.finditer(question) if not re.fullmatch(r"(?:19|20)\d\d", m.group(1))
    ]

"""What a question asks for: which year, and in which words the report would say it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text.normalize import normalize_script
from rag.text.vocabulary import Vocabulary

# A figure with a unit or counter after it ("2000亩", "2000多户", "2023.5万元") is an amount, not a year.
AMOUNT_AFTER = r"\s*(?:[\d.%％]|[万亿千百多余个家户所处条座套项人元亩吨张件场批位辆眼米公斤平方倍])"
FULL_YEAR = re.compile(rf"(?<![\d.])(20\d\d)(?:\s*年|(?!{AMOUNT_AFTER}))")
COMPARISON = re.compile(r"(?:比|较|相比|同比|比起)$")
SHORT_YEAR = re.compile(r"(?<![\d第续近前后])([12]\d)\s*年(?!\d)")  # "22年", not "连续16年"


@dataclass(frozen=True)
class Query:
    question: str
    year: int | None  # the year asked about, if the question says or implies one
    official_terms: tuple[str, ...]  # the report's words for the citizen's words
    quoted_figures: tuple[str, ...] = ()  # figures the citizen quotes ("去年新建了44条市政道路吗": 44条)
    # Two different years named ("今年要修45公里 去年是不是也修了45公里"): a quoted figure may be of either.
    contrasts_years: bool = False
    asked_unit: str | None = None  # the unit of the figure asked for ("多少张床位" → 张), if the question says it

    @property
    def search_text(self) -> str:
        """The question with the report's terms added, for both dense and keyword search."""
        return " ".join((self.question, *self.official_terms))


FIGURE_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:公里|平方米|美元|[个家户所处条座套项人元亩吨天张件场批位辆眼岁%])?")
YEAR_FIGURE = re.compile(r"(?:19|20)\d\d|[12]\d")
# "多少张", "几家", "多少万户": the counter names the unit of the figure asked for; "第几个" asks an order, not a count,
# and "几个百分点", "几个亿" name no counter. (The answer engine's COUNT_ASKED, rag/answering/evidence.py, asks only
# whether a count is asked, over fewer counters; merging the two would change answers and was not measured.)
COUNTER_ASKED = re.compile(r"(?<!第)(?:多少|几)(?:万|亿)?(个(?![亿万小月点百])|[家所项条座处名位只批户张次件套辆人亩吨])")


def quoted_figures(text: str) -> tuple[str, ...]:
    """Figures the citizen quotes ("是6.5万户吗？"), years aside."""
    figures = []
    for match in FIGURE_WITH_UNIT.finditer(text):
        figure = match.group(0)
        bare = re.match(r"\d+(?:\.\d+)?", figure).group(0)
        if YEAR_FIGURE.fullmatch(bare) and text[match.end() : match.end() + 1] == "年":
            continue
        if figure != bare or len(bare) > 1:  # a lone digit without a unit is part of a name ("12345" stays)
            figures.append(figure)
    return tuple(figures)


def in_unit(text: str, unit: str) -> bool:
    """Does the text hold a figure in the unit ("18公里", "1.7万个", the approximate "2万余平方米", "60余家")?"""
    return bool(re.search(rf"\d+(?:\.\d+)?\s*(?:万|亿)?(?:余|多)?{re.escape(unit)}", text))


def asked_unit(question: str, vocabulary: Vocabulary) -> str | None:
    """The unit of the figure a question asks for: its counter ("几家" → 家), else its wording ("投了多少" → 元)."""
    counted = COUNTER_ASKED.search(question)
    return counted.group(1) if counted else vocabulary.asked_unit(question)


def asked_years(question: str, report_year: int, vocabulary: Vocabulary) -> list[tuple[int, str]]:
    """Every year the question asks about, in the order named: explicit ("2022年", "22年") or relative
    ("去年"); a year it only compares with ("比前年") is not one of them."""
    found: list[tuple[int, int, str]] = []
    for match in FULL_YEAR.finditer(question):
        found.append((match.start(), int(match.group(1)), match.group(0)))
    for match in SHORT_YEAR.finditer(question):
        found.append((match.start(), 2000 + int(match.group(1)), match.group(0)))
    # Longest word first, so "过去的一年" is not also read as "一年".
    taken: list[range] = []
    for word in sorted(vocabulary.relative_years, key=len, reverse=True):
        for match in re.finditer(re.escape(word), question):
            span = range(match.start(), match.end())
            if not any(set(span) & set(t) for t in taken):
                taken.append(span)
                found.append((match.start(), report_year + vocabulary.relative_years[word], word))
    # "比前年少了多少": the year after 比 is what the asked year is compared with, not the year asked about.
    return [(year, word) for start, year, word in sorted(found) if not COMPARISON.search(question[:start])]


def year_intent(
    question: str, report_year: int, vocabulary: Vocabulary, named: list[tuple[int, str]] | None = None
) -> int | None:
    """The year a question asks about: the last year it names (`named`, if already read), else plan or result wording."""
    named = asked_years(question, report_year, vocabulary) if named is None else named
    if named:
        return named[-1][0]
    plan = vocabulary.asks_plan(question)
    if plan and not any(w in question for w in vocabulary.result_words):
        return report_year
    return report_year - 1 if vocabulary.asks_result(question) else None


def understand(question: str, report_year: int, vocabulary: Vocabulary) -> Query:
    """The question in the report's script ("歷城區" → 历城区, "ＧＤＰ" → GDP, "PCR" → 核酸), its year and terms."""
    question = normalize_script(question)
    named = asked_years(question, report_year, vocabulary)
    year = year_intent(question, report_year, vocabulary, named)
    terms = tuple(vocabulary.official_terms_for(question))
    contrasts = len({y for y, _ in named}) > 1
    return Query(question, year, terms, quoted_figures(question), contrasts, asked_unit(question, vocabulary))

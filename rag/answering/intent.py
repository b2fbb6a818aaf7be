"""What a question asks: its topic, the years, the kind of answer wanted, or that it is small talk."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Kind(StrEnum):
    """The kind of answer a question wants; each but GENERAL must be met by the sentence that answers."""

    PROCEDURE = "procedure"  # how to apply, register, be fined: a clause must name the action
    MONEY = "money"  # a figure in 元
    RATE = "rate"  # a percentage
    RANK = "rank"  # a position: 第三, 前列
    DAY = "day"  # a date to the month or day ("几月几号"): the year of an event does not answer it
    DATE = "date"
    DURATION = "duration"  # how long something takes ("多久能办下来"): a span of time, "半日办结"
    PLACE = "place"
    PERSON = "person"
    HONOUR = "honour"  # an honour or title won
    NAME = "name"  # what something is called: any sentence about it names it
    LIST = "list"  # several items
    TOTAL = "total"  # how many there are: a stock, not what was added in a year
    AMOUNT = "amount"  # any figure
    YES_NO = "yes_no"  # a claim to confirm, often with a figure in it
    GENERAL = "general"  # what the report says about the topic


# Kinds any sentence about the topic meets: what it says answers them, so they cannot check a clause.
LENIENT_KINDS = (Kind.GENERAL, Kind.NAME, Kind.YES_NO)
# Kinds a figure answers: a count or amount, a stock, a sum of money, a percentage.
FIGURE_KINDS = (Kind.AMOUNT, Kind.TOTAL, Kind.MONEY, Kind.RATE)


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"


@dataclass(frozen=True)
class Intent:
    """One question understood. `text` is normalised ("歷城" → "历城"); the rest is read from it."""

    question: str  # as the citizen typed it
    text: str  # normalised: simplified, half-width, English and typos in the report's words
    topic: tuple[str, ...] = ()  # the words that name what is asked about, most specific first
    expansions: tuple[str, ...] = ()  # the report's words for the citizen's ("GDP" → 地区生产总值)
    missing: tuple[str, ...] = ()  # topic words found nowhere in the report, not even through synonyms
    years: tuple[int, ...] = ()  # the years asked about, in the order named
    compared_years: tuple[int, ...] = ()  # years only compared with ("比前年")
    period: str = ""  # a period shorter than a year asked about ("上个月"), which no yearly figure answers
    kind: Kind = Kind.GENERAL
    kind_inherited: bool = False  # the kind came from the previous turn, not from these words
    change: bool = False  # asks how much something changed, not its level
    level: bool = False  # asks for a level ("总量"), which a percentage change does not give
    unit: str = ""  # the unit asked in ("公里"), if any
    # Asks for a plan or target ("目标", "计划", "还要开几条"), which a year under review's result does not give.
    plan: bool = False
    achieved: bool = False  # asks what was done ("新增了", "已经"), which the report's own year gives only as a plan
    per_item: bool = False  # asks for a figure per household, person or item ("每户能拿多少")
    superlative: bool = False  # asks for the first of several ("规模最大的那只")
    before: bool = False  # asks for the value before a change ("提高之前是多少"), which the level reached does not give
    event: str = ""  # what a "when" question asks the date of ("什么时候开业" → 开业)
    # What a count, amount or name is asked of, or what a yes/no asks exists ("多少学生" → 学生, "那家公司叫啥" → 公司,
    # "有补贴吗" → 补贴).
    measure: str = ""
    action: str = ""  # what a procedure question asks to do ("申请")
    quoted_figures: tuple[str, ...] = ()  # figures the citizen quotes to check ("6.5万户")
    small_talk: SmallTalk | None = None
    off_topic: bool = False  # about an everyday subject the report never speaks of ("今天天气怎么样")
    followup: bool = False  # completed from the previous turn
    inherited_topic: tuple[str, ...] = ()  # topic words of the previous turn this one leans on
    # "那历城职专呢？": the new topic replaces the previous one (kept only to rank); otherwise the follow-up
    # asks more about the previous topic ("建成后有多少张床位？") and an answer must be about both.
    replaces_topic: bool = False
    # "其中新开工的有几个？": asks for a part of the previous turn's whole, which the part's paragraph may name.
    part: bool = False
    context: str = ""  # the previous turn's words, added to the search
    # What the chat answered the previous turn (a follow-up only): "拿的是几等奖？" after an answer naming 蓝贝易书 asks
    # about the sentence that answer quoted ("“蓝贝易书”荣获全国军创大赛一等奖").
    previous_answer: str = ""

    @property
    def all_topic(self) -> tuple[str, ...]:
        return self.topic + self.inherited_topic

    @property
    def year(self) -> int | None:
        """The year asked about: the last one named."""
        return self.years[-1] if self.years else None

    @property
    def search_text(self) -> str:
        """What retrieval searches for: the question, the earlier turn's words it leans on, the report's terms."""
        return " ".join(part for part in (self.context, self.text, *self.expansions) if part)

    def with_(self, **changes) -> Intent:
        return replace(self, **changes)

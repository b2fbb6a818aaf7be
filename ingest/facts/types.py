"""The typed facts of a report: what each extractor finds in a sentence, and the citable fact it becomes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Fact types
FIGURE, RANK, HONOUR, DATE, PLACE, ENUMERATION, PERSON = "figure", "rank", "honour", "date", "place", "enumeration", "person"
# Statuses: a 2022 result, a 2022 result the report only estimates (预计), a 2023 plan or goal, and what
# the title block simply states (the date, the speaker).
ACHIEVED, ESTIMATE, TARGET, STATED = "achieved", "estimate", "target", "stated"


@dataclass(frozen=True)
class Finding:
    """One fact as read from one sentence, before it is placed in the report."""

    type: str
    indicator: str  # what the fact is about, in the report's words ("地区生产总值", "新增学位")
    value: str  # as written: "1265", "1.7", "第一", "续明", a title, a list
    text: str  # the whole phrase as written in the sentence ("超过60亿元", "全省第2位")
    start: int  # offset of `text` in the sentence: an estimate word only covers what follows it
    clause: str
    unit: str = ""  # as written, magnitude included ("亿元", "万个", "%", "位")
    qualifier: str = ""  # as written ("超过", "余", "以上"), several joined by "、"
    kind: str = ""  # figures: total, growth, share, rank, money, count, measure, duration
    scope: str = ""  # ranks: where the position holds ("全市", "全国百强区")
    items: tuple[str, ...] = ()  # enumerations: the items in order
    role: str = ""  # people: the office ("区长"); places: what the place is for


@dataclass(frozen=True)
class Fact:
    """A fact of the report that can be shown and cited: the finding plus where it stands and its year."""

    type: str
    indicator: str
    value: str
    text: str
    unit: str
    qualifier: str
    kind: str
    scope: str
    items: tuple[str, ...]
    role: str
    year: int
    status: str
    section: str
    page: int
    source: str  # the whole sentence
    clause: str
    chunk_id: str
    pair_key: str = ""  # shared with the same indicator's figure of the other year, if the report has both

    def to_dict(self) -> dict:
        data = asdict(self)
        data["items"] = list(self.items)
        return data


@dataclass(frozen=True)
class FactPair:
    """One indicator with its 2022 result(s) and its 2023 target(s)."""

    key: str
    results: tuple[Fact, ...]  # achieved or estimated in the year under review
    targets: tuple[Fact, ...]  # planned for the report's year

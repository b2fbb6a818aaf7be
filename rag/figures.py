"""数字速览: every figure of the report as a flat, citable record, with the filters and exports staff use.

The records are the fact index's figures and ranks (ingest/facts), nothing extracted twice, so the
table, `reportqa figures`, GET /api/figures and the answers agree:

    figures = figure_records(index.facts)      # or figures_of_reports(paths), without the index
    filter_figures(figures, FigureFilter(year=2023, status="target"))
    to_csv(figures)          # UTF-8 with BOM, so Excel shows the Chinese
    headline_targets(figures), growth_pairs(figures)
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path

from ingest.chunk import SECTION_SEPARATOR
from ingest.facts import load_facts
from ingest.facts.types import ACHIEVED, ESTIMATE, FIGURE, RANK, TARGET, Fact
from rag.resources import data_file

STATUSES = (ACHIEVED, ESTIMATE, TARGET)
STATUS_LABELS = {ACHIEVED: "已完成", ESTIMATE: "预计", TARGET: "目标"}
KIND_LABELS = {
    "total": "总量",
    "growth": "增速",
    "share": "占比",
    "rank": "排名",
    "count": "数量",
    "money": "金额",
    "measure": "规模",
    "duration": "时长",
}
# Excel reads a CSV as the local code page unless it starts with a byte-order mark.
UTF8_BOM = "\ufeff"


class FigureFilterError(ValueError):
    """A filter value that matches no possible figure (a status or year that does not exist)."""


@dataclass(frozen=True)
class Figure:
    """One figure of the report as data: what, how much, which year and status, and where it is written."""

    indicator: str  # what is measured, in the report's words ("新增学位", "地区生产总值")
    value: str  # the number as written ("1.7", "1265", "第37" for a rank written so)
    unit: str  # as written, magnitude included ("万个", "亿元", "%", "位")
    text: str  # value, unit and qualifier exactly as written ("超过60亿元", "5.5%以上", "第37位")
    qualifier: str  # "超过", "以上", "余", "突破"…, several joined by "、"; "" when the figure is exact
    kind: str  # total, growth, share, rank, count, money, measure, duration
    year: int
    status: str  # achieved (a result), estimate (预计), target (a plan of the report's year)
    section: str  # the section path, parts joined by " > "
    page: int  # the page the figure's words stand on
    source: str  # the whole sentence, verbatim
    chunk_id: str  # the passage that cites it (rag.Retriever / /api/retrieve give the same ids)
    pair_key: str  # shared with the same indicator's figure of the other year; "" when unpaired

    @property
    def status_label(self) -> str:
        return f"{self.year}年{STATUS_LABELS.get(self.status, self.status)}"

    @property
    def part(self) -> str:
        """The report part the figure stands in ("一、2022年工作回顾")."""
        return self.section.split(SECTION_SEPARATOR)[0]

    def to_dict(self) -> dict:
        return asdict(self)


FIELDS = tuple(f.name for f in fields(Figure))


def figure_records(facts: list[Fact]) -> list[Figure]:
    """The figures and ranks among `facts`, in reading order (the order the fact index keeps)."""
    return [
        Figure(
            indicator=f.indicator,
            value=f.value,
            unit=f.unit,
            text=f.text,
            qualifier=f.qualifier,
            kind=f.kind,
            year=f.year,
            status=f.status,
            section=f.section,
            page=f.page,
            source=f.source,
            chunk_id=f.chunk_id,
            pair_key=f.pair_key,
        )
        for f in facts
        if f.type in (FIGURE, RANK) and f.status in STATUSES
    ]


def figures_of_reports(paths: list[Path]) -> list[Figure]:
    """The figures of report files read directly, no index or model needed (`reportqa figures`); the same
    records as the index's, because the index derives its facts from the same files the same way."""
    return [figure for path in paths for figure in figure_records(load_facts(Path(path)))]


@dataclass(frozen=True)
class FigureFilter:
    """What a reader narrows the table to; an empty field matches every figure."""

    year: int | None = None
    status: str = ""  # one of STATUSES
    section: str = ""  # a part or section path prefix ("二、2023年主要工作安排")
    query: str = ""  # words in the indicator or the sentence ("学位")

    def __post_init__(self) -> None:
        if self.status and self.status not in STATUSES:
            raise FigureFilterError(f"status 只能是 {' / '.join(STATUSES)} / status must be one of {', '.join(STATUSES)}")

    def matches(self, figure: Figure) -> bool:
        return (
            (self.year is None or figure.year == self.year)
            and (not self.status or figure.status == self.status)
            and figure.section.startswith(self.section)
            and all(word in figure.indicator or word in figure.source for word in self.query.split())
        )


def filter_figures(figures: list[Figure], selection: FigureFilter) -> list[Figure]:
    return [f for f in figures if selection.matches(f)]


def sections_of(figures: list[Figure]) -> list[str]:
    """The section paths that hold figures, in reading order: what the table is grouped by."""
    return list(dict.fromkeys(f.section for f in figures))


@lru_cache(maxsize=1)
def _headline_sections() -> tuple[str, ...]:
    with data_file("words/figures.toml").open("rb") as file:
        return tuple(tomllib.load(file)["headline"]["sections"])


def headline_targets(figures: list[Figure]) -> list[Figure]:
    """The report year's main targets: the figures of the section that states them ("主要预期目标")."""
    return [f for f in figures if f.status == TARGET and any(words in f.section for words in _headline_sections())]


@dataclass(frozen=True)
class GrowthPair:
    """One indicator's growth rate: the year under review's result beside the report year's target."""

    indicator: str
    result: Figure
    target: Figure


def growth_pairs(figures: list[Figure]) -> list[GrowthPair]:
    """Every paired indicator with a growth rate (in %) in both years, in the order the report names it."""
    pairs = []
    for key in dict.fromkeys(f.pair_key for f in figures if f.pair_key):
        rates = [f for f in figures if f.pair_key == key and f.kind == "growth" and f.unit == "%"]
        results = [f for f in rates if f.status != TARGET]
        targets = [f for f in rates if f.status == TARGET]
        if results and targets:
            pairs.append(GrowthPair(key, results[0], targets[0]))
    return pairs


def to_csv(figures: list[Figure]) -> str:
    """The records as CSV text with a BOM and a header of the JSON field names."""
    out = io.StringIO()
    out.write(UTF8_BOM)
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(f.to_dict() for f in figures)
    return out.getvalue()

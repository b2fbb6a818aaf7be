"""What stage 4 (decide) hands to compose: the verdict, the reason as an enum, and the sentences to quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rag.answering.knowledge import ReportSentence
from rag.answering.select import Candidate


class Verdict(StrEnum):
    ANSWER = "answer"
    PARTIAL = "partial"  # answered, but not all of what was asked (another year's figure)
    REFUSE = "refuse"
    SMALL_TALK = "small_talk"


class Reason(StrEnum):
    NOT_IN_REPORT = "not_in_report"
    OTHER_YEAR_ONLY = "other_year_only"
    KIND_NOT_GIVEN = "kind_not_given"  # the topic is there, the figure / place / name asked is not
    OFF_TOPIC = "off_topic"  # nothing of the question is in the report
    GREETING = "greeting"  # small talk: greeting, thanks, help
    YEAR_NOT_COVERED = "year_not_covered"  # asks about a year no report covers
    PERIOD_NOT_COVERED = "period_not_covered"  # asks about a month, a quarter or a day: the report gives years
    NOT_CHINESE = "not_chinese"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: Reason | None = None
    chosen: tuple[Candidate, ...] = ()  # what the answer quotes, best first
    context: tuple[Candidate, ...] = ()  # shown beside: the other year's sentence, or what the report does say
    list_items: tuple[str, ...] = ()  # a list spelled out by the names of the sections a lead-in opens
    list_sentences: tuple[ReportSentence, ...] = ()  # or by the sentences after a lead-in, each an item
    figure_years: tuple[tuple[str, int | None], ...] = field(default=())  # quoted figures and the year they belong to
    compared_missing: tuple[int, ...] = ()  # years compared with that have no such figure ("比去年高还是低")

    @property
    def refused(self) -> bool:
        return self.verdict in (Verdict.REFUSE, Verdict.SMALL_TALK)


def refusal(reason: Reason, context: tuple[Candidate, ...] = ()) -> Decision:
    return Decision(Verdict.REFUSE, reason, context=context)

"""Replies to greetings, thanks and requests for help: what the chat can answer, with three example questions
written from the indexed report's own facts (a result of the year under review, a target, an honour)."""

from __future__ import annotations

from ingest.facts import Fact
from ingest.facts.types import ACHIEVED, FIGURE, HONOUR, TARGET
from rag.answering.intent import SmallTalk

OPENINGS = {
    SmallTalk.GREETING: "您好！",
    SmallTalk.THANKS: "不客气！",
    SmallTalk.HELP: "",
}
# Indicators of this length read as names in a question; shorter ones are pronouns ("济南"), longer ones clauses.
MIN_INDICATOR_CHARS = 4
MAX_INDICATOR_CHARS = 10


def example_questions(facts: list[Fact]) -> list[str]:
    """Three questions the report answers: a count the year under review added, a growth target, an honour won."""

    def first(test) -> Fact | None:
        return next((f for f in facts if test(f) and MIN_INDICATOR_CHARS <= len(f.indicator) <= MAX_INDICATOR_CHARS), None)

    questions = []
    result = first(lambda f: f.type == FIGURE and f.status == ACHIEVED and f.kind == "count" and f.indicator.startswith("新增"))
    if result:
        questions.append(f"{result.year}年{result.indicator}多少？")
    target = first(lambda f: f.type == FIGURE and f.status == TARGET and f.kind == "growth")
    if target:
        questions.append(f"{target.year}年{target.indicator}的增长目标是多少？")
    honour = first(lambda f: f.type == HONOUR and f.status == ACHIEVED)
    if honour:
        questions.append(f"{honour.indicator}获得了什么荣誉？")
    return questions


def reply(kind: SmallTalk, facts: list[Fact], years: list[int]) -> str:
    covered = "和".join(f"{y}年" for y in years)
    examples = "".join(f"\n{i}. {q}" for i, q in enumerate(example_questions(facts), start=1))
    return (
        f"{OPENINGS[kind]}我可以回答政府工作报告里的问题：{covered}的成绩、目标和计划、荣誉和排名、项目和名单，"
        f"每个回答都引用报告原文并注明出处；报告没有写的，我会直说。可以这样问：{examples}"
    )

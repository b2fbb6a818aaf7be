"""Follow-up questions to offer under an answer, drawn from the facts beside the passages it cited.

    suggest_questions(answer, facts, ask=answerer.answer, history=history)  # → ["2023年新增学位的目标是多少", …]

Candidates come from the report's own fact index, nearest first: the other year of a figure the answer
quoted (a 2022 result and its 2023 target share a pair key), then the other figures of the sections it
cited. A candidate is offered only after the answerer, asked it with the same chat history, answers it
with the figure it was made from: a suggestion the report cannot answer is never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ingest.facts.types import FIGURE, RANK, TARGET, Fact
from rag.types import Answer


@dataclass(frozen=True)
class SuggestionPolicy:
    # Suggestions shown under an answer: enough to offer a direction, few enough to read at a glance on a phone.
    shown: int = 3
    # Candidates run through the answerer before giving up: each costs one answer (about 50 ms warm), and
    # the citizen is already reading the answer while they run.
    tried: int = 8
    # Indicator lengths a question is made from: shorter names are fragments ("增长"), longer ones read
    # as a clause rather than a name and make an unwieldy question.
    shortest_indicator: int = 2
    longest_indicator: int = 14


DEFAULT_SUGGESTION_POLICY = SuggestionPolicy()


def question_for(fact: Fact) -> str:
    """A citizen's question whose answer is `fact`: the year, the indicator, and what is asked of it."""
    if fact.type == RANK:
        return f"{fact.year}年{fact.indicator}排第几"
    if fact.status == TARGET:
        return f"{fact.year}年{fact.indicator}的目标是多少"
    return f"{fact.year}年{fact.indicator}是多少"


def _figures(facts: Iterable[Fact], policy: SuggestionPolicy) -> list[Fact]:
    return [
        f for f in facts if f.type in (FIGURE, RANK) and policy.shortest_indicator <= len(f.indicator) <= policy.longest_indicator
    ]


def candidate_facts(answer: Answer, facts: Iterable[Fact], policy: SuggestionPolicy = DEFAULT_SUGGESTION_POLICY) -> list[Fact]:
    """The facts a follow-up could ask about, nearest to the answer first, one per indicator and year; none
    for a refusal or an answer without citations, and none the answer or its question already gives."""
    if answer.refused or not answer.citations:
        return []
    figures = _figures(facts, policy)
    cited = {p.chunk_id for p in answer.citations}
    quoted = [f for f in figures if f.chunk_id in cited]
    given = {(f.indicator, f.year) for f in quoted if f.text in answer.text}

    def partners() -> Iterator[Fact]:  # the other year of a figure the answer quoted
        for fact in quoted:
            if fact.pair_key:
                yield from (f for f in figures if f.pair_key == fact.pair_key and f.year != fact.year)

    def neighbours() -> Iterator[Fact]:  # the other figures of each cited section, in the order cited
        for section in dict.fromkeys(p.section for p in answer.citations):
            yield from (f for f in figures if f.section == section and f.chunk_id not in cited)

    seen, found = set(given), []
    for fact in (*partners(), *quoted, *neighbours()):
        key = (fact.indicator, fact.year)
        if key in seen or fact.indicator in answer.question:
            continue
        seen.add(key)
        found.append(fact)
    return found


def suggest_questions(
    answer: Answer,
    facts: Iterable[Fact],
    ask: Callable[[str, list[dict] | None], Answer],
    history: list[dict] | None = None,
    policy: SuggestionPolicy = DEFAULT_SUGGESTION_POLICY,
) -> list[str]:
    """Up to `policy.shown` follow-up questions, each one `ask(question, history)` answers with its figure."""
    suggestions: list[str] = []
    for fact in candidate_facts(answer, facts, policy)[: policy.tried]:
        question = question_for(fact)
        reply = ask(question, history)
        if not reply.refused and not reply.partial and fact.text in reply.text:
            suggestions.append(question)
            if len(suggestions) == policy.shown:
                break
    return suggestions

"""Every configuration answers the golden set end to end, and the metrics that sum it up.

Each configuration first retrieves for every item (retrieval metrics), then answers every item
with an Answerer reading from that same retrieval (answer metrics). Nothing here prints or writes:
eval/markdown.py renders the results, eval/report.py writes the report folder, eval/command.py is
`reportqa eval`. eval/README.md defines every metric.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from eval import metrics
from eval.configurations import Configuration
from eval.gate import Breach
from eval.golden import GoldenItem
from rag.answering.ranking import shown_passages
from rag.types import Answer, Passage

K = 5
RETRIEVAL_COLUMNS = [
    "hit@1",
    "hit@3",
    "hit@5",
    "MRR",
    "nDCG@5",
    "context_precision",
    "context_recall",
    "retrieve_p50_ms",
    "retrieve_p95_ms",
]
# The passages as the chat and /api/retrieve show them: those the answer cites first (rag/answering/ranking.py).
SHOWN_COLUMNS = ["shown_hit@1", "shown_hit@3", "shown_hit@5", "shown_MRR"]
ANSWER_COLUMNS = [
    "answer_accuracy",
    "refusal_precision",
    "refusal_recall",
    "false_refusal_rate",
    "citation_precision",
    "citation_recall",
    "grounded_rate",
    "answer_p50_ms",
    "answer_p95_ms",
]
METRIC_COLUMNS = RETRIEVAL_COLUMNS + SHOWN_COLUMNS + ANSWER_COLUMNS  # every name a gate may bound
Clock = Callable[[], float]
Tick = Callable[[str], None]  # called once per item scored, with what is running ("hybrid: answers")


def _no_tick(label: str) -> None:
    pass


# --------------------------------------------------------------------------- retrieval


@dataclass(frozen=True)
class RetrievalResult:
    item: GoldenItem
    configuration: str
    passages: list[Passage]
    relevant: list[bool]
    seconds: float
    relevant_total: int  # relevant passages in the whole searched corpus: the ideal ranking for nDCG


def retrieval_question(item: GoldenItem) -> str:
    """Retrieval alone has no chat state: a follow-up is searched together with the turn before it."""
    earlier = [turn["content"] for turn in item.history if turn["role"] == "user"]
    return " ".join(earlier[-1:] + [item.question])


def run_retrieval(
    items: list[GoldenItem],
    name: str,
    retrieve,
    corpus: Sequence[str] | None = None,
    clock: Clock = time.perf_counter,
    tick: Tick = _no_tick,
) -> list[RetrievalResult]:
    """Retrieve K passages for each item. `corpus` (every passage `retrieve` can return) lets nDCG
    know how many relevant passages exist; without it, each evidence piece counts as one."""
    results = []
    for item in items:
        start = clock()
        passages = retrieve(retrieval_question(item), K)
        seconds = clock() - start
        relevant = metrics.relevance([p.text for p in passages], item.evidence)
        if corpus is not None:
            relevant_total = sum(metrics.relevance(corpus, item.evidence))
        else:
            relevant_total = max(len(item.evidence), sum(relevant))
        results.append(RetrievalResult(item, name, passages, relevant, seconds, relevant_total))
        tick(f"{name}: retrieval")
    return results


def ranking_metrics(rankings: list[list[bool]], prefix: str = "") -> dict[str, float]:
    """hit@1, hit@3, hit@5 and MRR over rankings of answerable items (each: is passage i relevant)."""
    return {
        **{f"{prefix}hit@{k}": metrics.mean([metrics.hit_at_k(relevant, k) for relevant in rankings]) for k in (1, 3, 5)},
        f"{prefix}MRR": metrics.mean([metrics.reciprocal_rank(relevant) for relevant in rankings]),
    }


def summarize_retrieval(results: list[RetrievalResult]) -> dict[str, float]:
    answerable = [r for r in results if r.item.answerable]
    return {
        **ranking_metrics([r.relevant for r in answerable]),
        "nDCG@5": metrics.mean([metrics.ndcg_at_k(r.relevant, K, r.relevant_total) for r in answerable]),
        "context_precision": metrics.mean([metrics.context_precision(r.relevant, K) for r in answerable]),
        "context_recall": metrics.mean(
            [metrics.context_recall([p.text for p in r.passages], r.item.evidence) for r in answerable]
        ),
        "retrieve_p50_ms": 1000 * metrics.percentile([r.seconds for r in results], 50),
        "retrieve_p95_ms": 1000 * metrics.percentile([r.seconds for r in results], 95),
    }


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class AnswerResult:
    item: GoldenItem
    configuration: str
    answer: Answer
    correct: bool  # answerable: not refused and every must_include string present; unanswerable: refused
    grounded: bool  # every figure of the answer stands in a passage it cites
    seconds: float


def run_answers(
    items: list[GoldenItem], name: str, answerer, clock: Clock = time.perf_counter, tick: Tick = _no_tick
) -> list[AnswerResult]:
    results = []
    for item in items:
        start = clock()
        answer = answerer.answer(item.question, history=list(item.history) or None)
        seconds = clock() - start
        if item.answerable:
            correct = not answer.refused and metrics.answer_correct(answer.text, item.must_include)
        else:
            correct = answer.refused
        cited = answer.citations
        # A year label names a cited passage's year (the baseline's passages have year 0: "0年（已完成）").
        grounded = metrics.numbers_grounded(answer.text, [p.text for p in cited], allowed=[str(p.year) for p in cited])
        results.append(AnswerResult(item, name, answer, correct, grounded, seconds))
        tick(f"{name}: answers")
    return results


def summarize_answers(results: list[AnswerResult]) -> dict[str, float]:
    answerable = [r for r in results if r.item.answerable]
    given = [r for r in results if not r.answer.refused]
    precision, recall = metrics.precision_recall([r.answer.refused for r in results], [not r.item.answerable for r in results])
    cited = [r for r in answerable if not r.answer.refused and r.answer.citations]
    shown = [metrics.relevance([p.text for p in shown_passages(r.answer, K)], r.item.evidence) for r in answerable]
    return {
        **ranking_metrics(shown, prefix="shown_"),
        "answer_accuracy": metrics.mean([r.correct for r in answerable]),
        "refusal_precision": precision,
        "refusal_recall": recall,
        "false_refusal_rate": metrics.mean([r.answer.refused for r in answerable]),
        "citation_precision": metrics.mean(
            [metrics.mean(metrics.relevance([p.text for p in r.answer.citations], r.item.evidence)) for r in cited]
        ),
        "citation_recall": metrics.mean(
            [metrics.context_recall([p.text for p in r.answer.citations], r.item.evidence) for r in cited]
        ),
        "grounded_rate": metrics.mean([r.grounded for r in given]),
        "answer_p50_ms": 1000 * metrics.percentile([r.seconds for r in results], 50),
        "answer_p95_ms": 1000 * metrics.percentile([r.seconds for r in results], 95),
    }


# --------------------------------------------------------------------------- accuracy per group of items


def type_group(item: GoldenItem) -> str:
    return item.type


def year_group(item: GoldenItem) -> str:
    return str(item.year) if item.year is not None else "none"


def style_group(item: GoldenItem) -> str:
    return item.style or "none"


def accuracy_by(results: list[AnswerResult], group: Callable[[GoldenItem], str]) -> dict[str, float]:
    """Share of correct answers in each group of items (all items, unanswerable ones included)."""
    groups: dict[str, list[bool]] = {}
    for r in results:
        groups.setdefault(group(r.item), []).append(r.correct)
    return {name: metrics.mean(correct) for name, correct in groups.items()}


@dataclass(frozen=True)
class Subset:
    """Items that trip a chatbot up whatever their type, scored apart from the rest."""

    label: str
    includes: Callable[[GoldenItem], bool]


SUBSETS = (
    Subset("year traps (type trap_year)", lambda item: item.type == "trap_year"),
    Subset("follow-ups (with chat history)", lambda item: bool(item.history)),
)


def accuracy_on(results: list[AnswerResult], subset: Subset) -> float | None:
    """Share of correct answers among the subset's items; None when the golden set has none."""
    chosen = [r.correct for r in results if subset.includes(r.item)]
    return metrics.mean(chosen) if chosen else None


# --------------------------------------------------------------------------- both, per configuration


@dataclass(frozen=True)
class ConfigurationRun:
    name: str
    note: str
    retrieval: list[RetrievalResult]
    answers: list[AnswerResult]

    @property
    def summary(self) -> dict[str, float]:
        return {**summarize_retrieval(self.retrieval), **summarize_answers(self.answers)}


def evaluate(
    items: list[GoldenItem], configurations: dict[str, Configuration], clock: Clock = time.perf_counter, tick: Tick = _no_tick
) -> list[ConfigurationRun]:
    """Every configuration end to end; `tick` is called 2 × len(items) times per configuration."""
    from rag.answering.answerer import Answerer

    runs = []
    for name, configuration in configurations.items():
        retrieval = run_retrieval(items, name, configuration.retriever.retrieve, configuration.corpus, clock, tick)
        answers = run_answers(items, name, Answerer(configuration.retriever), clock, tick)
        runs.append(ConfigurationRun(name, configuration.note, retrieval, answers))
    return runs


@dataclass(frozen=True)
class RunInfo:
    """What a report says about the run besides its results."""

    golden: Path
    items: list[GoldenItem]
    seconds: float
    load_average: float  # 1-minute load at the end: latencies on a busy machine are not comparable
    breaches: list[Breach] | None  # None: the gate was not asked for
    finished: datetime = field(default_factory=datetime.now)

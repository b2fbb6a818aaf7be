"""`reportqa eval`: every configuration answers the golden set end to end, side by side.

Each configuration first retrieves for every item (retrieval metrics), then answers every item
with an Answerer reading from that same retrieval (answer metrics). The tables are printed, a
report folder is written (eval/report.py) and, with --gate, the thresholds are checked (eval/gate.py).
eval/README.md defines every metric.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eval import metrics
from eval.configurations import DEGRADED_MODES, NAMES, Configuration, build_configurations, parse_names
from eval.gate import THRESHOLDS
from eval.golden import DEFAULT_GOLDEN, GoldenItem, load_golden
from rag.settings import Settings
from rag.types import Answer, Passage

K = 5
REPORTS_DIR = Path(__file__).resolve().parent / "reports"
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


def summarize_retrieval(results: list[RetrievalResult]) -> dict[str, float]:
    answerable = [r for r in results if r.item.answerable]
    return {
        "hit@1": metrics.mean([metrics.hit_at_k(r.relevant, 1) for r in answerable]),
        "hit@3": metrics.mean([metrics.hit_at_k(r.relevant, 3) for r in answerable]),
        "hit@5": metrics.mean([metrics.hit_at_k(r.relevant, 5) for r in answerable]),
        "MRR": metrics.mean([metrics.reciprocal_rank(r.relevant) for r in answerable]),
        "nDCG@5": metrics.mean([metrics.ndcg_at_k(r.relevant, K, r.relevant_total) for r in answerable]),
        "context_precision": metrics.mean([metrics.context_precision(r.relevant, K) for r in answerable]),
        "context_recall": metrics.mean(
            [metrics.context_recall([p.text for p in r.passages], r.item.evidence) for r in answerable]
        ),
        "retrieve_p50_ms": 1000 * metrics.percentile([r.seconds for r in results], 50),
        "retrieve_p95_ms": 1000 * metrics.percentile([r.seconds for r in results], 95),
    }


def format_table(rows: dict[str, dict[str, float]], columns: list[str]) -> str:
    """A Markdown table: one row per configuration."""
    lines = ["| configuration | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, values in rows.items():
        cells = [f"{values[c]:.1f}" if c.endswith("_ms") else f"{values[c]:.3f}" for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
    return {
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


def year_group(item: GoldenItem) -> str:
    return str(item.year) if item.year is not None else "none"


def accuracy_by(results: list[AnswerResult], group: Callable[[GoldenItem], str]) -> dict[str, float]:
    """Share of correct answers in each group of items (all items, unanswerable ones included)."""
    groups: dict[str, list[bool]] = {}
    for r in results:
        groups.setdefault(group(r.item), []).append(r.correct)
    return {name: metrics.mean(correct) for name, correct in groups.items()}


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


# --------------------------------------------------------------------------- the command


def steady_cpu() -> None:
    """Run the model on one CPU thread while measuring.

    Questions are embedded one at a time; on a shared two-core machine two torch threads fight every
    other process for the cores, and a query then takes 50-500 ms instead of a steady ~30 ms (p95
    becomes noise and the run takes minutes). Only the command and the gate test call this: it is
    process-wide, and the web chat keeps torch's default.
    """
    import torch

    torch.set_num_threads(1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--golden", type=Path, default=DEFAULT_GOLDEN, metavar="FILE", help="golden set (JSON lines, see eval/README.md)"
    )
    parser.add_argument(
        "--configurations", default=",".join(NAMES), help=f"comma-separated, from: {', '.join(NAMES)} (default: all)"
    )
    parser.add_argument(
        "--gate",
        nargs="?",
        type=Path,
        const=THRESHOLDS,
        metavar="THRESHOLDS",
        help="exit 1 when a metric breaks its threshold (default file: eval/thresholds.toml)",
    )
    parser.add_argument(
        "--degrade",
        choices=DEGRADED_MODES,
        help="run the hybrid configuration with only this retrieval mode, to see that the gate catches it",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        default=REPORTS_DIR,
        metavar="DIR",
        help="where the report folder is written (default: eval/reports)",
    )
    parser.add_argument("--show-failures", action="store_true", help="also print every failure (they are always in report.md)")
    # Answers used to be optional; they are always scored now, and old command lines keep working.
    parser.add_argument("--answers", action="store_true", help=argparse.SUPPRESS)


def main(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from eval import gate, report
    from eval.query_cache import with_query_cache
    from rag.store.index import Index

    # Everything a person can get wrong is checked before the slow part, and before anything is written.
    names = parse_names(args.configurations)
    bounds = gate.load_thresholds(args.gate, RETRIEVAL_COLUMNS + ANSWER_COLUMNS) if args.gate else None
    if bounds:
        gate.require_configurations(bounds, names)
    items = load_golden(args.golden, settings.documents[0])

    steady_cpu()
    started = time.perf_counter()
    print(f"golden set: {args.golden} ({len(items)} items, {sum(i.answerable for i in items)} answerable)", file=sys.stderr)
    print(f"loading the model and index, building {', '.join(names)}…", file=sys.stderr)
    index, cache = with_query_cache(Index.open(settings))
    configurations = build_configurations(index, settings.documents[0], names, args.degrade)
    # rag.offline sets TQDM_DISABLE for the libraries' bars; this one is ours.
    with tqdm(total=2 * len(items) * len(names), unit="q", disable=False, file=sys.stderr, dynamic_ncols=True) as bar:

        def tick(label: str) -> None:
            bar.set_description(label, refresh=False)
            bar.update()

        runs = evaluate(items, configurations, cache.clock, tick)
    breaches = gate.check(bounds, {r.name: r.summary for r in runs}) if bounds is not None else None
    info = report.RunInfo(args.golden, items, time.perf_counter() - started, os.getloadavg()[0], breaches)
    folder = report.write_report(args.reports, runs, info)

    print()
    print(report.summary_markdown(runs, info))
    if args.show_failures:
        for run in runs:
            print("\n" + report.failures_markdown(run))
    if breaches is not None:
        print("\n" + gate.verdict(breaches))
    print(f"\nreport: {folder}\n({info.seconds:.0f} s)")
    return 1 if breaches else 0

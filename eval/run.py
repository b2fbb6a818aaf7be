"""`reportqa eval`: run the golden set through each configuration and print the tables."""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from eval import metrics
from eval.golden import DEFAULT_GOLDEN, GoldenItem, load_golden
from rag.settings import Settings
from rag.answer import ungrounded_numbers
from rag.types import Answer, Passage

YEAR_LABELS = tuple(f"{y}年" for y in range(2000, 2100))

K = 5
RETRIEVAL_CONFIGURATIONS = ("hybrid", "dense", "bm25", "llamaindex")


@dataclass(frozen=True)
class RetrievalResult:
    item: GoldenItem
    configuration: str
    passages: list[Passage]
    relevant: list[bool]
    seconds: float


def retrievers(settings: Settings, names: tuple[str, ...]):
    """name → function(question, k) → passages, sharing one index and one model."""
    from rag.retrieve import RetrievalConfig, Retriever

    hybrid = Retriever.load(settings)
    made = {}
    for name in names:
        if name == "hybrid":
            made[name] = hybrid.retrieve
        elif name == "dense":
            made[name] = Retriever(hybrid.index, RetrievalConfig(mode="dense")).retrieve
        elif name == "bm25":
            made[name] = Retriever(hybrid.index, RetrievalConfig(mode="keyword")).retrieve
        elif name == "llamaindex":
            from eval.baseline import LlamaIndexBaseline

            made[name] = LlamaIndexBaseline(settings.documents[0], hybrid.index.embedder).retrieve
        else:
            raise ValueError(f"unknown configuration {name!r} (one of: {', '.join(RETRIEVAL_CONFIGURATIONS)})")
    return made


def retrieval_question(item: GoldenItem) -> str:
    """Retrieval alone has no chat state: a follow-up is searched together with the turn before it."""
    earlier = [turn["content"] for turn in item.history if turn["role"] == "user"]
    return " ".join(earlier[-1:] + [item.question])


def run_retrieval(items: list[GoldenItem], name: str, retrieve) -> list[RetrievalResult]:
    results = []
    for item in items:
        start = time.perf_counter()
        passages = retrieve(retrieval_question(item), K)
        seconds = time.perf_counter() - start
        results.append(RetrievalResult(item, name, passages, metrics.relevance([p.text for p in passages], item.evidence), seconds))
    return results


def summarize_retrieval(results: list[RetrievalResult]) -> dict[str, float]:
    answerable = [r for r in results if r.item.answerable]
    return {
        "hit@1": metrics.mean([metrics.hit_at_k(r.relevant, 1) for r in answerable]),
        "hit@3": metrics.mean([metrics.hit_at_k(r.relevant, 3) for r in answerable]),
        "hit@5": metrics.mean([metrics.hit_at_k(r.relevant, 5) for r in answerable]),
        "MRR": metrics.mean([metrics.reciprocal_rank(r.relevant) for r in answerable]),
        "nDCG@5": metrics.mean([metrics.ndcg_at_k(r.relevant, K, len(r.item.evidence)) for r in answerable]),
        "context_precision": metrics.mean([metrics.context_precision(r.relevant, K) for r in answerable]),
        "context_recall": metrics.mean([metrics.context_recall([p.text for p in r.passages], r.item.evidence) for r in answerable]),
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


@dataclass(frozen=True)
class AnswerResult:
    item: GoldenItem
    configuration: str
    answer: Answer
    correct: bool
    grounded: bool
    seconds: float


def run_answers(items: list[GoldenItem], name: str, answerer) -> list[AnswerResult]:
    results = []
    for item in items:
        start = time.perf_counter()
        answer = answerer.answer(item.question, history=list(item.history) or None)
        seconds = time.perf_counter() - start
        expected = item.must_include if item.answerable else ()
        correct = (not answer.refused and metrics.answer_correct(answer.text, expected)) if item.answerable else answer.refused
        grounded = not ungrounded_numbers(answer.text, answer.citations, YEAR_LABELS)
        results.append(AnswerResult(item, name, answer, correct, grounded, seconds))
    return results


def summarize_answers(results: list[AnswerResult]) -> dict[str, float]:
    answerable = [r for r in results if r.item.answerable]
    refused = [r.answer.refused for r in results]
    unanswerable = [not r.item.answerable for r in results]
    precision, recall = metrics.precision_recall(refused, unanswerable)
    cited = [r for r in answerable if not r.answer.refused and r.answer.citations]
    return {
        "answer_accuracy": metrics.mean([r.correct for r in answerable]),
        "refusal_recall": recall,
        "refusal_precision": precision,
        "false_refusal_rate": metrics.mean([r.answer.refused for r in answerable]),
        "citation_precision": metrics.mean(
            [metrics.mean(metrics.relevance([p.text for p in r.answer.citations], r.item.evidence)) for r in cited]
        ),
        "citation_recall": metrics.mean([metrics.context_recall([p.text for p in r.answer.citations], r.item.evidence) for r in cited]),
        "grounded_rate": metrics.mean([r.grounded for r in results]),
        "answer_p50_ms": 1000 * metrics.percentile([r.seconds for r in results], 50),
        "answer_p95_ms": 1000 * metrics.percentile([r.seconds for r in results], 95),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--golden", type=Path, default=DEFAULT_GOLDEN, help="golden set (JSON lines)")
    parser.add_argument(
        "--configurations",
        default=",".join(RETRIEVAL_CONFIGURATIONS),
        help=f"comma-separated, from: {', '.join(RETRIEVAL_CONFIGURATIONS)}",
    )
    parser.add_argument("--answers", action="store_true", help="also compose and score answers")
    parser.add_argument("--show-failures", action="store_true", help="print every item answered wrongly")


def main(args: argparse.Namespace, settings: Settings) -> int:
    items = load_golden(args.golden, settings.documents[0])
    names = tuple(n.strip() for n in args.configurations.split(",") if n.strip())
    rows = {}
    for name, retrieve in retrievers(settings, names).items():
        rows[name] = summarize_retrieval(run_retrieval(items, name, retrieve))
    print(f"golden set: {args.golden} ({len(items)} items, {sum(i.answerable for i in items)} answerable)\n")
    print(format_table(rows, ["hit@1", "hit@3", "hit@5", "MRR", "nDCG@5", "retrieve_p50_ms", "retrieve_p95_ms"]))
    if args.answers:
        from rag.answer import Answerer
        from rag.retrieve import Retriever

        answer_results = run_answers(items, "hybrid", Answerer(Retriever.load(settings)))
        print()
        print(format_table({"hybrid": summarize_answers(answer_results)}, list(summarize_answers(answer_results))))
        if args.show_failures:
            for r in answer_results:
                if not r.correct:
                    print(f"\n{r.item.id} [{r.item.type}] {r.item.question}\n  expected {r.item.must_include}: {r.item.answer}\n  got: {r.answer.text}")
    return 0

"""The report folder of one run: eval/reports/<timestamp>/ with

- report.md: the summary tables, accuracy per type, year, style, year traps and follow-ups, and
  every failure in full;
- results.jsonl: one line per item per configuration, everything needed to dig further;
- accuracy_by_type.png: the per-type accuracy chart.

It is written into a hidden staging folder and renamed into place at the end, so a run that
crashes leaves no half report behind.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from eval.evaluation import ConfigurationRun, RunInfo, accuracy_by, type_group
from eval.gate import verdict
from eval.golden import TYPES
from eval.markdown import failures_markdown, label, summary_markdown
from rag.atomic import staged_directory

CHART = "accuracy_by_type.png"


def _result_lines(runs: list[ConfigurationRun]) -> Iterator[dict]:
    for run in runs:
        for retrieved, answered in zip(run.retrieval, run.answers):
            item, answer = answered.item, answered.answer
            yield {
                "configuration": run.name,
                "id": item.id,
                "type": item.type,
                "style": item.style,
                "year": item.year,
                "question": item.question,
                "history": list(item.history),
                "expected": item.answer,
                "must_include": list(item.must_include),
                "evidence": list(item.evidence),
                "retrieved": [
                    {"rank": n, "relevant": rel, "year": p.year, "section": p.section, "text": p.text, "score": p.score}
                    for n, (p, rel) in enumerate(zip(retrieved.passages, retrieved.relevant), start=1)
                ],
                "relevant_in_corpus": retrieved.relevant_total,
                "retrieve_ms": round(1000 * retrieved.seconds, 1),
                "answer": answer.text,
                "refused": answer.refused,
                "citations": [{"year": p.year, "section": p.section, "text": p.text} for p in answer.citations],
                "correct": answered.correct,
                "grounded": answered.grounded,
                "answer_ms": round(1000 * answered.seconds, 1),
            }


def report_markdown(runs: list[ConfigurationRun], info: RunInfo) -> str:
    """The whole of report.md."""
    follow_ups = sum(bool(i.history) for i in info.items)
    header = [
        f"# ReportQA evaluation, {info.finished:%Y-%m-%d %H:%M:%S}",
        "",
        f"- configurations: {', '.join(label(r) for r in runs)}",
        f"- items: {len(info.items)}, of which {follow_ups} follow-ups with chat history",
        f"- run time: {info.seconds:.0f} s; load average at the end: {info.load_average:.1f} (latencies depend on it)",
        f"- {verdict(info.breaches).replace(chr(10), chr(10) + '  ')}" if info.breaches is not None else "- gate: not checked",
        "- metrics: see eval/README.md",
        "",
    ]
    sections = ["## Summary", "", summary_markdown(runs, info), "", f"![accuracy by type]({CHART})", "", "## Failures", ""]
    sections += [failures_markdown(run) + "\n" for run in runs]
    return "\n".join(header + sections)


def _free_name(root: Path, finished: datetime) -> Path:
    stamp = f"{finished:%Y-%m-%dT%H-%M-%S}"
    candidate, n = root / stamp, 2
    while candidate.exists():
        candidate, n = root / f"{stamp}-{n}", n + 1
    return candidate


def draw_chart(runs: list[ConfigurationRun], info: RunInfo, path: Path) -> None:
    # matplotlib is imported only here, when a chart is drawn: it takes a second, and it reads the
    # machine's font list when first imported (eval/chart.py).
    from eval.chart import draw_accuracy_by_type

    accuracy = {label(r): accuracy_by(r.answers, type_group) for r in runs}
    counts = Counter(i.type for i in info.items)
    draw_accuracy_by_type(accuracy, {t: counts[t] for t in TYPES if counts[t]}, path)


def write_report(root: Path, runs: list[ConfigurationRun], info: RunInfo) -> Path:
    """Write the folder for this run under `root` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    folder = _free_name(root, info.finished)
    with staged_directory(folder) as staging:
        (staging / "report.md").write_text(report_markdown(runs, info), encoding="utf-8")
        with open(staging / "results.jsonl", "w", encoding="utf-8") as out:
            for line in _result_lines(runs):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        draw_chart(runs, info, staging / CHART)
    return folder

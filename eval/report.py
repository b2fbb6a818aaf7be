"""The report folder of one run: eval/reports/<timestamp>/ with

- report.md: the summary tables, accuracy per type and per year, and every failure in full;
- results.jsonl: one line per item per configuration, everything needed to dig further;
- accuracy_by_type.png: the per-type accuracy chart.

It is written into a hidden staging folder and renamed into place at the end, so a run that
crashes leaves no half report behind.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from eval.chart import draw_accuracy_by_type
from eval.gate import Breach, verdict
from eval.golden import TYPES, GoldenItem
from eval.metrics import mean, squeeze
from eval.run import ANSWER_COLUMNS, RETRIEVAL_COLUMNS, ConfigurationRun, accuracy_by, format_table, year_group
from rag.atomic import staged_directory

CHART = "accuracy_by_type.png"
SHOWN_CHARS = 160  # of each retrieved passage in report.md; results.jsonl has them whole


@dataclass(frozen=True)
class RunInfo:
    golden: Path
    items: list[GoldenItem]
    seconds: float
    load_average: float  # 1-minute load at the end: latencies on a busy machine are not comparable
    breaches: list[Breach] | None  # None: the gate was not asked for
    finished: datetime = field(default_factory=datetime.now)


# --------------------------------------------------------------------------- tables


def _accuracy_table(runs: list[ConfigurationRun], items: list[GoldenItem], group_of, order) -> str:
    """Accuracy per group of items (columns sorted by `order`), and over all items."""
    counts = Counter(group_of(i) for i in items)
    headers = {g: f"{g} (n={counts[g]})" for g in sorted(counts, key=order)}
    everything = f"all (n={len(items)})"
    rows = {}
    for run in runs:
        by_group = accuracy_by(run.answers, group_of)
        rows[_label(run)] = {headers[g]: by_group[g] for g in headers} | {everything: mean([r.correct for r in run.answers])}
    return format_table(rows, [*headers.values(), everything])


def _label(run: ConfigurationRun) -> str:
    return f"{run.name} ({run.note})" if run.note else run.name


def summary_markdown(runs: list[ConfigurationRun], info: RunInfo) -> str:
    """The tables the command prints and the web tab shows."""
    summaries = {_label(r): r.summary for r in runs}
    answerable = sum(i.answerable for i in info.items)
    return "\n".join(
        [
            f"golden set: {info.golden} ({len(info.items)} items: {answerable} answerable, {len(info.items) - answerable} unanswerable)",
            "",
            "### Retrieval",
            "",
            format_table(summaries, RETRIEVAL_COLUMNS),
            "",
            "### Answers",
            "",
            format_table(summaries, ANSWER_COLUMNS),
            "",
            "### Accuracy per question type (unanswerable: correct = refused)",
            "",
            _accuracy_table(runs, info.items, lambda i: i.type, TYPES.index),
            "",
            "### Accuracy per year asked about (none: the unanswerable items)",
            "",
            _accuracy_table(runs, info.items, year_group, lambda year: (year == "none", year)),
        ]
    )


# --------------------------------------------------------------------------- failures


def _inline(text: str) -> str:
    """One line of Markdown that shows the text as it is (no stray HTML)."""
    return " ".join(text.split()).replace("<", "&lt;")


def _excerpt(text: str, evidence: tuple[str, ...]) -> str:
    """At most SHOWN_CHARS of the passage, around the first evidence piece it holds (the baseline's
    chunks run to a thousand characters). Whitespace is dropped, as when relevance is judged."""
    text = squeeze(text)
    found = [at for at in (text.find(squeeze(piece)) for piece in evidence) if at >= 0]
    start = max(0, min(found) - 20) if found else 0
    shown = text[start : start + SHOWN_CHARS]
    return ("…" if start else "") + shown + ("…" if start + SHOWN_CHARS < len(text) else "")


def failures_markdown(run: ConfigurationRun) -> str:
    """Every item this configuration got wrong or retrieved nothing relevant for, in full."""
    blocks = []
    for retrieved, answered in zip(run.retrieval, run.answers):
        item = answered.item
        missed = item.answerable and not any(retrieved.relevant)
        if answered.correct and not missed:
            continue
        what = ", ".join(w for w, bad in (("answer wrong", not answered.correct), ("retrieval missed", missed)) if bad)
        lines = [f"#### {item.id} · {item.type} · {item.year or '—'} · {what}", "", f"- question: {_inline(item.question)}"]
        for turn in item.history:
            lines.append(f"  - earlier {turn['role']}: {_inline(turn['content'])}")
        expected = "refuse (the report does not say)" if not item.answerable else _inline(item.answer)
        lines.append(f"- expected: {expected}" + (f" — must include: {' / '.join(item.must_include)}" if item.answerable else ""))
        lines.append(f"- answered{' (refused)' if answered.answer.refused else ''}: {_inline(answered.answer.text)}")
        lines.append("- retrieved:")
        for rank, (passage, relevant) in enumerate(zip(retrieved.passages, retrieved.relevant), start=1):
            where = " · ".join(str(x) for x in (passage.year or "", passage.section) if x)
            lines.append(
                f"  {rank}. {'✓' if relevant else '✗'} {where + ' · ' if where else ''}{_inline(_excerpt(passage.text, item.evidence))}"
            )
        blocks.append("\n".join(lines))
    return f"### {_label(run)}: {len(blocks)} failure(s)\n\n" + "\n\n".join(blocks)


# --------------------------------------------------------------------------- files


def _result_lines(runs: list[ConfigurationRun]):
    for run in runs:
        for retrieved, answered in zip(run.retrieval, run.answers):
            item, answer = answered.item, answered.answer
            yield {
                "configuration": run.name,
                "id": item.id,
                "type": item.type,
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


def _report_markdown(runs: list[ConfigurationRun], info: RunInfo) -> str:
    follow_ups = sum(bool(i.history) for i in info.items)
    header = [
        f"# ReportQA evaluation, {info.finished:%Y-%m-%d %H:%M:%S}",
        "",
        f"- configurations: {', '.join(_label(r) for r in runs)}",
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


def write_report(root: Path, runs: list[ConfigurationRun], info: RunInfo) -> Path:
    """Write the folder for this run under `root` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    folder = _free_name(root, info.finished)
    with staged_directory(folder) as staging:
        (staging / "report.md").write_text(_report_markdown(runs, info), encoding="utf-8")
        with open(staging / "results.jsonl", "w", encoding="utf-8") as out:
            for line in _result_lines(runs):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        accuracy = {_label(r): accuracy_by(r.answers, lambda i: i.type) for r in runs}
        counts = Counter(i.type for i in info.items)
        draw_accuracy_by_type(accuracy, {t: counts[t] for t in TYPES if counts[t]}, staging / CHART)
    return folder

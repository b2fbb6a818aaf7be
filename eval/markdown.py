"""The results as Markdown people read: the summary tables (printed by `reportqa eval`, shown by the
web tab, at the top of report.md) and every failure in full (report.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from eval.evaluation import (
    ANSWER_COLUMNS,
    RETRIEVAL_COLUMNS,
    SHOWN_COLUMNS,
    SUBSETS,
    ConfigurationRun,
    RunInfo,
    accuracy_by,
    accuracy_on,
    style_group,
    type_group,
    year_group,
)
from eval.golden import TYPES, GoldenItem
from eval.metrics import mean, squeeze
from eval.wording import english

Name = Callable[[str], str]  # a term as shown: eval.wording.english (as it is) or eval.wording.chinese

SHOWN_CHARS = 160  # of each retrieved passage in report.md; results.jsonl has them whole


def format_table(rows: dict[str, dict[str, float | None]], columns: list[str], name: Name = english) -> str:
    """A Markdown table: one row per configuration; None (nothing to measure) shows as —."""
    lines = [f"| {name('configuration')} | " + " | ".join(map(name, columns)) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, values in rows.items():
        cells = [_cell(values[c], c.endswith("_ms")) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | None, milliseconds: bool) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if milliseconds else f"{value:.3f}"


def label(run: ConfigurationRun) -> str:
    return f"{run.name} ({run.note})" if run.note else run.name


# --------------------------------------------------------------------------- the summary


def _accuracy_table(
    runs: list[ConfigurationRun], items: list[GoldenItem], group: Callable[[GoldenItem], str], order: Callable, name: Name
) -> str:
    """Accuracy per group of items (columns sorted by `order`), and over all items."""
    counts = Counter(group(i) for i in items)
    headers = {g: f"{name(g)} (n={counts[g]})" for g in sorted(counts, key=order)}
    everything = f"{name('all')} (n={len(items)})"
    rows = {}
    for run in runs:
        by_group = accuracy_by(run.answers, group)
        rows[label(run)] = {headers[g]: by_group[g] for g in headers} | {everything: mean([r.correct for r in run.answers])}
    return format_table(rows, [*headers.values(), everything])


def _style_order(items: list[GoldenItem]) -> Callable[[str], tuple]:
    """The commonest styles first; items without a style last."""
    counts = Counter(style_group(i) for i in items)
    return lambda style: (style == "none", -counts[style], style)


def _subsets_table(runs: list[ConfigurationRun], items: list[GoldenItem], name: Name) -> str:
    headers = {s.label: f"{name(s.label)}, n={sum(map(s.includes, items))}" for s in SUBSETS}
    rows = {label(run): {headers[s.label]: accuracy_on(run.answers, s) for s in SUBSETS} for run in runs}
    return format_table(rows, list(headers.values()))


def summary_markdown(runs: list[ConfigurationRun], info: RunInfo, name: Name = english) -> str:
    """The tables the command prints and the web tab shows (there with `name=eval.wording.chinese`)."""
    summaries = {label(r): r.summary for r in runs}
    answerable = sum(i.answerable for i in info.items)
    sections = [
        f"golden set: {info.golden} ({len(info.items)} items: {answerable} answerable, {len(info.items) - answerable} unanswerable)"
        if name is english
        else f"评测集：{info.golden.name}（{len(info.items)} 题：可回答 {answerable}，无答案 {len(info.items) - answerable}）",
    ]
    tables = [
        ("Retrieval", format_table(summaries, RETRIEVAL_COLUMNS, name)),
        ("Passages shown (those the answer cites first)", format_table(summaries, SHOWN_COLUMNS, name)),
        ("Answers", format_table(summaries, ANSWER_COLUMNS, name)),
        (
            "Accuracy per question type (unanswerable: correct = refused)",
            _accuracy_table(runs, info.items, type_group, TYPES.index, name),
        ),
        ("Year traps and follow-ups (accuracy; — when the set has none)", _subsets_table(runs, info.items, name)),
        (
            "Accuracy per year asked about (none: the unanswerable items)",
            _accuracy_table(runs, info.items, year_group, lambda year: (year == "none", year), name),
        ),
    ]
    if any(i.style for i in info.items):
        tables.append(
            (
                "Accuracy per question style (none: items without a style)",
                _accuracy_table(runs, info.items, style_group, _style_order(info.items), name),
            )
        )
    for heading, table in tables:
        sections += ["", f"### {name(heading)}", "", table]
    return "\n".join(sections)


# --------------------------------------------------------------------------- failures


def _inline(text: str) -> str:
    """One line of Markdown that shows the text as it is (no stray HTML)."""
    return " ".join(text.split()).replace("<", "&lt;")


def excerpt(text: str, evidence: tuple[str, ...]) -> str:
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
        kind = " · ".join(x for x in (item.type, item.style) if x)
        lines = [f"#### {item.id} · {kind} · {item.year or '—'} · {what}", "", f"- question: {_inline(item.question)}"]
        for turn in item.history:
            lines.append(f"  - earlier {turn['role']}: {_inline(turn['content'])}")
        expected = "refuse (the report does not say)" if not item.answerable else _inline(item.answer)
        lines.append(f"- expected: {expected}" + (f" — must include: {' / '.join(item.must_include)}" if item.answerable else ""))
        lines.append(f"- answered{' (refused)' if answered.answer.refused else ''}: {_inline(answered.answer.text)}")
        lines.append("- retrieved:")
        for rank, (passage, relevant) in enumerate(zip(retrieved.passages, retrieved.relevant), start=1):
            where = " · ".join(str(x) for x in (passage.year or "", passage.section) if x)
            lines.append(
                f"  {rank}. {'✓' if relevant else '✗'} {where + ' · ' if where else ''}{_inline(excerpt(passage.text, item.evidence))}"
            )
        blocks.append("\n".join(lines))
    return f"### {label(run)}: {len(blocks)} failure(s)\n\n" + "\n\n".join(blocks)

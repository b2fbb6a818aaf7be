"""`reportqa eval`: its arguments and what it does.

Everything a person can get wrong (the golden file, the configuration names, the thresholds file) is
checked before the model loads and before anything is written; then every configuration runs
(eval/evaluation.py), the tables are printed (eval/markdown.py), the report folder is written
(eval/report.py) and, with --gate, the thresholds are checked (eval/gate.py).

Only light modules are imported at the top: `reportqa eval --help` loads neither the model nor Chroma.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eval.configurations import DEGRADED_MODES, NAMES, parse_names
from eval.gate import THRESHOLDS
from eval.golden import DEFAULT_GOLDEN, load_golden
from rag.settings import Settings

REPORTS_DIR = Path(__file__).resolve().parent / "reports"


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


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run the model on one CPU thread while measuring, and give torch its threads back afterwards.

    Questions are embedded one at a time; on a shared two-core machine two torch threads fight every
    other process for the cores, and a query then takes 50-500 ms instead of a steady ~30 ms (p95
    becomes noise and the run takes minutes). The web chat keeps torch's default. Torch is loaded by
    the model when the index opens; an index with a stand-in embedder (the fast tests) runs without
    it, and importing torch only to pin it would cost seconds.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def main(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from eval import gate, report
    from eval.configurations import build_configurations
    from eval.evaluation import METRIC_COLUMNS, RunInfo, evaluate
    from eval.markdown import failures_markdown, summary_markdown
    from eval.query_cache import with_query_cache
    from rag.store.index import Index

    names = parse_names(args.configurations)
    bounds = gate.load_thresholds(args.gate, METRIC_COLUMNS) if args.gate else None
    if bounds:
        gate.require_configurations(bounds, names)
    items = load_golden(args.golden, settings.documents[0])

    started = time.perf_counter()
    print(f"golden set: {args.golden} ({len(items)} items, {sum(i.answerable for i in items)} answerable)", file=sys.stderr)
    print(f"loading the model and index, building {', '.join(names)}…", file=sys.stderr)
    index, cache = with_query_cache(Index.open(settings))
    configurations = build_configurations(index, settings.documents[0], names, args.degrade)
    # rag.offline sets TQDM_DISABLE for the libraries' bars; this one is ours.
    with (
        one_torch_thread(),
        tqdm(total=2 * len(items) * len(names), unit="q", disable=False, file=sys.stderr, dynamic_ncols=True) as bar,
    ):

        def tick(label: str) -> None:
            bar.set_description(label, refresh=False)
            bar.update()

        runs = evaluate(items, configurations, cache.clock, tick)
    breaches = gate.check(bounds, {r.name: r.summary for r in runs}) if bounds is not None else None
    info = RunInfo(args.golden, items, time.perf_counter() - started, os.getloadavg()[0], breaches)
    folder = report.write_report(args.reports, runs, info)

    print()
    print(summary_markdown(runs, info))
    if args.show_failures:
        for run in runs:
            print("\n" + failures_markdown(run))
    if breaches is not None:
        print("\n" + gate.verdict(breaches))
    print(f"\nreport: {folder}\n({info.seconds:.0f} s)")
    return 1 if breaches else 0

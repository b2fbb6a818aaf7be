"""The "评测" tab of the web chat: staff pick a golden set from eval/, run it, and see the tables and chart.

It runs the same evaluation as `reportqa eval` (eval/command.py) over the index the chat already has
loaded, and writes the same report folder under eval/reports/. The hybrid configuration alone
takes about 20 s; all four take a minute or two, so that is opt-in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import gradio as gr
from PIL import Image

from eval.command import REPORTS_DIR
from eval.configurations import NAMES, build_configurations
from eval.evaluation import RunInfo, evaluate
from eval.golden import DEFAULT_GOLDEN, GoldenFileError, load_golden
from eval.markdown import summary_markdown
from eval.query_cache import with_query_cache
from eval.report import CHART, write_report

EVAL_DIR = DEFAULT_GOLDEN.parent


def golden_files(folder: Path = EVAL_DIR) -> list[tuple[str, str]]:
    """(file name, path) of every golden set in `folder`, for the dropdown."""
    return [(path.name, str(path)) for path in sorted(folder.glob("*.jsonl"))]


def eval_handler(load_index: Callable, golden_dir: Path = EVAL_DIR, reports_dir: Path = REPORTS_DIR):
    """The tab's run function: (path of a golden file in `golden_dir`, run all four configurations?)
    → (the summary tables as Markdown, the per-type chart). `load_index()` gives the rag.store.index.Index."""

    def run(golden: str, all_configurations: bool, progress=gr.Progress()) -> tuple[str, Image.Image]:
        path = Path(golden or "")
        # The dropdown only offers eval/*.jsonl; a request naming any other file is refused.
        if path.suffix != ".jsonl" or path.resolve().parent != Path(golden_dir).resolve() or not path.is_file():
            raise gr.Error(f"请选择 {golden_dir.name}/ 目录下的评测集 / pick a golden file (*.jsonl) in {golden_dir}")
        started = time.perf_counter()
        progress(0, desc="加载模型与索引 / loading")
        index = load_index()
        report_path = index.settings.documents[0]
        try:
            items = load_golden(path, report_path)
        except GoldenFileError as error:
            raise gr.Error(str(error)) from None
        names = NAMES if all_configurations else ("hybrid",)
        view, cache = with_query_cache(index)
        configurations = build_configurations(view, report_path, names)
        total, done = 2 * len(items) * len(names), 0

        def tick(label: str) -> None:
            nonlocal done
            done += 1
            progress((done, total), desc=label)

        runs = evaluate(items, configurations, cache.clock, tick)
        info = RunInfo(path, items, time.perf_counter() - started, os.getloadavg()[0], None)
        folder = write_report(reports_dir, runs, info)
        text = f"{summary_markdown(runs, info)}\n\n完整报告（含每道错题）/ full report with every failure: `{folder / 'report.md'}` ({info.seconds:.0f} s)"
        with Image.open(folder / CHART) as chart:
            return text, chart.copy()

    return run


def build_eval_tab(load_index: Callable, golden_dir: Path = EVAL_DIR, reports_dir: Path = REPORTS_DIR) -> None:
    """The tab's components and events; call inside `with gr.Tab(...)`."""
    gr.Markdown(
        "用评测集检验问答质量：检索命中率、回答准确率、拒答、引用与数字核对。评测集格式见 `eval/README.md`。\n\n"
        "Run a golden set through ReportQA and see retrieval, answer, refusal and citation metrics."
    )
    with gr.Row(equal_height=True):
        choices = golden_files(golden_dir)
        default = str(DEFAULT_GOLDEN) if DEFAULT_GOLDEN.parent == golden_dir else (choices[0][1] if choices else None)
        golden = gr.Dropdown(choices=choices, value=default, label="评测集 / golden file (eval/*.jsonl)", scale=3)
        everything = gr.Checkbox(False, label="四种配置对比（约1–2分钟）/ all four configurations", scale=2)
        start = gr.Button("开始评测 / run", variant="primary", scale=1)
    summary = gr.Markdown("选择评测集后点击“开始评测”。默认只评测混合检索（hybrid），约20秒。")
    chart = gr.Image(
        show_label=False, type="pil", interactive=False, buttons=["download", "fullscreen"]
    )  # the chart has its own title
    # Staff may drop a new golden file into eval/ while the server runs: list them afresh when opened.
    golden.focus(lambda: gr.Dropdown(choices=golden_files(golden_dir)), None, golden, api_visibility="private", queue=False)
    # One evaluation at a time: it keeps the CPU busy, and citizens are chatting on the same server.
    start.click(
        eval_handler(load_index, golden_dir, reports_dir),
        [golden, everything],
        [summary, chart],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="eval",
    )

"""The "评测" tab of the staff view: staff pick a golden set from eval/, run it, see the tables and chart in
Chinese and download the whole report.

It runs the same evaluation as `reportqa eval` (eval/command.py) over the index the chat already has
loaded, and writes the same report folder under eval/reports/. The hybrid configuration alone
takes about 20 s; all four take a minute or two, so that is opt-in.
"""

from __future__ import annotations

import os
import time
import zipfile
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
from eval.wording import chinese

EVAL_DIR = DEFAULT_GOLDEN.parent


def golden_files(folder: Path = EVAL_DIR) -> list[tuple[str, str]]:
    """(file name, path) of every golden set in `folder`, for the dropdown."""
    return [(path.name, str(path)) for path in sorted(folder.glob("*.jsonl"))]


def zip_report(folder: Path) -> Path:
    """The report folder as one zip beside it (report.md, results.jsonl, the chart), for the browser to download."""
    archive = folder.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.iterdir()):
            out.write(path, f"{folder.name}/{path.name}")
    return archive


def eval_handler(load_index: Callable, golden_dir: Path = EVAL_DIR, reports_dir: Path = REPORTS_DIR, allowed: Callable = None):
    """The tab's run function: (path of a golden file in `golden_dir`, run all four configurations?, the session's
    staff flag) → (the summary tables in Chinese, the per-type chart, the report as a zip).
    `load_index()` gives the rag.store.index.Index; `allowed(flag)` says whether this session may run it."""

    def run(golden: str, all_configurations: bool, staff: bool, progress=gr.Progress()):
        if allowed is not None and not allowed(staff):
            raise gr.Error("仅限工作人员使用：请用带 staff 口令的链接打开本页。")
        path = Path(golden or "")
        # The dropdown only offers eval/*.jsonl; a request naming any other file is refused.
        if path.suffix != ".jsonl" or path.resolve().parent != Path(golden_dir).resolve() or not path.is_file():
            raise gr.Error(f"请选择 {golden_dir.name}/ 目录下的评测集（*.jsonl）。")
        started = time.perf_counter()
        progress(0.01, desc="正在读取索引和评测集…")
        index = load_index()
        report_path = index.settings.documents[0]
        try:
            items = load_golden(path, report_path)
        except GoldenFileError as error:
            raise gr.Error(str(error)) from None
        names = NAMES if all_configurations else ("hybrid",)
        view, cache = with_query_cache(index)
        configurations = {}
        for number, name in enumerate(names, start=1):
            # The llama-index baseline first embeds the whole report into its own index: say so, or the bar looks stuck.
            slow = "（先为全文建立向量索引，约需半分钟）" if name == "llamaindex" else ""
            progress(0.02 + 0.08 * (number - 1) / len(names), desc=f"准备第 {number}/{len(names)} 种配置：{name}{slow}")
            configurations |= build_configurations(view, report_path, (name,))
        total, done = 2 * len(items) * len(names), 0

        def tick(label: str) -> None:
            nonlocal done
            done += 1
            configuration, _, stage = label.partition(": ")
            stage = {"retrieval": "检索", "answers": "回答"}.get(stage.strip(), stage)
            progress(0.1 + 0.9 * done / total, desc=f"{configuration}：{stage}（{done}/{total}）")

        runs = evaluate(items, configurations, cache.clock, tick)
        info = RunInfo(path, items, time.perf_counter() - started, os.getloadavg()[0], None)
        folder = write_report(reports_dir, runs, info)
        text = f"{summary_markdown(runs, info, chinese)}\n\n用时 {info.seconds:.0f} 秒。完整报告（含每道错题）可在下方下载。"
        with Image.open(folder / CHART) as chart:
            return text, chart.copy(), str(zip_report(folder))

    return run


def build_eval_tab(
    load_index: Callable,
    staff: gr.State,
    golden_dir: Path = EVAL_DIR,
    reports_dir: Path = REPORTS_DIR,
    allowed: Callable = None,
) -> None:
    """The tab's components and events; call inside `with gr.Tab(...)`. `staff` is the session's staff flag."""
    gr.Markdown(
        "用评测集检验问答质量：检索命中率、回答准确率、拒答、引用与数字核对。把鼠标停在指标名上可看英文术语；评测集格式见 `eval/README.md`。"
    )
    with gr.Row(equal_height=True):
        choices = golden_files(golden_dir)
        default = str(DEFAULT_GOLDEN) if DEFAULT_GOLDEN.parent == golden_dir else (choices[0][1] if choices else None)
        golden = gr.Dropdown(choices=choices, value=default, label="评测集（eval/ 目录下的 *.jsonl）", scale=3)
        everything = gr.Checkbox(False, label="四种配置对比（约1–2分钟）", scale=2)
        start = gr.Button("开始评测", variant="primary", scale=1)
    summary = gr.Markdown("选择评测集后点击“开始评测”。默认只评测混合检索（hybrid），约20秒。", elem_classes=["rqa-eval-summary"])
    chart = gr.Image(
        show_label=False, type="pil", interactive=False, buttons=["download", "fullscreen"]
    )  # the chart has its own title
    report = gr.File(label="完整报告（report.md、results.jsonl 和图表，zip）", interactive=False)
    # Staff may drop a new golden file into eval/ while the server runs: list them afresh when opened.
    golden.focus(lambda: gr.Dropdown(choices=golden_files(golden_dir)), None, golden, api_visibility="private", queue=False)
    # One evaluation at a time: it keeps the CPU busy, and citizens are chatting on the same server.
    start.click(
        eval_handler(load_index, golden_dir, reports_dir, allowed),
        [golden, everything, staff],
        [summary, chart, report],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="eval",
    )

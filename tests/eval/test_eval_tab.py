"""The web chat's "评测" tab: its handler runs a golden file from its folder and returns tables and chart.
Over the session's fake index: the tab's plumbing is the point, not the model."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr
import pytest
from PIL import Image

from eval.golden import DEFAULT_GOLDEN
from ui.chat import build_blocks
from ui.eval_tab import eval_handler, golden_files


def test_the_handler_runs_a_golden_file_and_returns_the_tables_and_the_chart(fake_index, tiny_golden, tmp_path):
    reports = tmp_path / "reports"
    run = eval_handler(lambda: fake_index, golden_dir=tiny_golden.parent, reports_dir=reports)
    text, chart = run(str(tiny_golden), False)
    assert "3 items: 2 answerable, 1 unanswerable" in text
    assert "| hybrid |" in text and "| dense |" not in text  # hybrid only unless asked for all four
    assert "### Accuracy per question type" in text
    assert isinstance(chart, Image.Image) and chart.width > 600
    (folder,) = reports.iterdir()
    assert str(folder / "report.md") in text and (folder / "accuracy_by_type.png").exists()


def test_the_handler_only_runs_golden_files_from_its_folder(tmp_path, tiny_golden):
    run = eval_handler(
        lambda: pytest.fail("nothing may load for a refused file"), golden_dir=tiny_golden.parent, reports_dir=tmp_path
    )
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text(tiny_golden.read_text(encoding="utf-8"), encoding="utf-8")
    for path in (str(outside), str(tiny_golden.parent / ".." / "elsewhere.jsonl"), "/etc/passwd", ""):
        with pytest.raises(gr.Error, match="pick a golden file"):
            run(path, False)


def test_a_malformed_golden_file_is_shown_with_its_line_and_reason(fake_index, tiny_golden, tmp_path):
    tiny_golden.write_text(tiny_golden.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    reports = tmp_path / "reports"
    run = eval_handler(lambda: fake_index, golden_dir=tiny_golden.parent, reports_dir=reports)
    with pytest.raises(gr.Error, match=r"tiny.jsonl:4: bad JSON"):
        run(str(tiny_golden), False)
    assert not reports.exists()


def test_the_dropdown_lists_the_golden_files_of_the_folder(tmp_path):
    for name in ("b.jsonl", "a.jsonl", "notes.txt"):
        (tmp_path / name).write_text("")
    assert golden_files(tmp_path) == [("a.jsonl", str(tmp_path / "a.jsonl")), ("b.jsonl", str(tmp_path / "b.jsonl"))]
    assert ("golden.jsonl", str(DEFAULT_GOLDEN)) in golden_files()  # by default: the files in eval/


def test_the_chat_page_has_the_eval_tab_beside_the_chat_and_no_new_public_api(fake_index):
    stand_in = SimpleNamespace(answer=lambda question, history=None: None, retriever=SimpleNamespace(index=fake_index))
    blocks = build_blocks(stand_in)
    tabs = [block.label for block in blocks.blocks.values() if isinstance(block, gr.Tab)]
    assert tabs == ["问答", "评测"]
    public = {d.api_name for d in blocks.fns.values() if d.api_visibility == "public"}
    assert public == {"ask", "retrieve"}


def test_a_public_server_can_hide_the_eval_tab(fake_index):
    stand_in = SimpleNamespace(answer=lambda question, history=None: None, retriever=SimpleNamespace(index=fake_index))
    blocks = build_blocks(stand_in, eval_tab=False)
    assert [block.label for block in blocks.blocks.values() if isinstance(block, gr.Tab)] == ["问答"]

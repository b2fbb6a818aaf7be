"""The web chat's "评测" tab: its handler runs a golden file from its folder and returns tables and chart.
Over the session's fake index: the tab's plumbing is the point, not the model."""

from __future__ import annotations

import zipfile
from types import SimpleNamespace

import gradio as gr
import pytest
from PIL import Image

from eval.golden import DEFAULT_GOLDEN
from rag.settings import Settings
from ui.chat import build_blocks
from ui.eval_tab import eval_handler, golden_files


def test_the_handler_runs_a_golden_file_and_returns_chinese_tables_the_chart_and_the_report(fake_index, tiny_golden, tmp_path):
    reports = tmp_path / "reports"
    run = eval_handler(lambda: fake_index, golden_dir=tiny_golden.parent, reports_dir=reports)
    text, chart, archive = run(str(tiny_golden), False, True)
    assert "3 题：可回答 2，无答案 1" in text
    assert "| hybrid |" in text and "| dense |" not in text  # hybrid only unless asked for all four
    assert "### 各题型准确率" in text and '<span title="hit@1">首条命中率</span>' in text  # English term as tooltip
    assert "hit@1 |" not in text
    assert isinstance(chart, Image.Image) and chart.width > 600
    (folder,) = [p for p in reports.iterdir() if p.is_dir()]
    with zipfile.ZipFile(archive) as zipped:  # the browser downloads the whole report, not a server path
        assert {f"{folder.name}/report.md", f"{folder.name}/results.jsonl", f"{folder.name}/accuracy_by_type.png"} <= set(
            zipped.namelist()
        )
    assert str(folder) not in text


def test_a_session_without_the_staff_token_cannot_run_it(tmp_path, tiny_golden):
    run = eval_handler(lambda: pytest.fail("nothing may load"), tiny_golden.parent, tmp_path, allowed=lambda flag: flag is True)
    with pytest.raises(gr.Error, match="仅限工作人员"):
        run(str(tiny_golden), False, False)


def test_the_handler_only_runs_golden_files_from_its_folder(tmp_path, tiny_golden):
    run = eval_handler(
        lambda: pytest.fail("nothing may load for a refused file"), golden_dir=tiny_golden.parent, reports_dir=tmp_path
    )
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text(tiny_golden.read_text(encoding="utf-8"), encoding="utf-8")
    for path in (str(outside), str(tiny_golden.parent / ".." / "elsewhere.jsonl"), "/etc/passwd", ""):
        with pytest.raises(gr.Error, match="请选择"):
            run(path, False, True)


def test_a_malformed_golden_file_is_shown_with_its_line_and_reason(fake_index, tiny_golden, tmp_path):
    tiny_golden.write_text(tiny_golden.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    reports = tmp_path / "reports"
    run = eval_handler(lambda: fake_index, golden_dir=tiny_golden.parent, reports_dir=reports)
    with pytest.raises(gr.Error, match=r"tiny.jsonl:4: bad JSON"):
        run(str(tiny_golden), False, True)
    assert not reports.exists()


def test_the_dropdown_lists_the_golden_files_of_the_folder(tmp_path):
    for name in ("b.jsonl", "a.jsonl", "notes.txt"):
        (tmp_path / name).write_text("")
    assert golden_files(tmp_path) == [("a.jsonl", str(tmp_path / "a.jsonl")), ("b.jsonl", str(tmp_path / "b.jsonl"))]
    assert ("golden.jsonl", str(DEFAULT_GOLDEN)) in golden_files()  # by default: the files in eval/


def tabs_of(blocks: gr.Blocks) -> dict[str, bool]:
    """Each tab's label and whether a citizen sees it."""
    return {block.label: block.visible for block in blocks.blocks.values() if isinstance(block, gr.Tab)}


def test_a_citizen_sees_the_chat_and_the_figures_and_no_new_public_api(fake_index, tmp_path):
    stand_in = SimpleNamespace(answer=lambda question, history=None: None, retriever=SimpleNamespace(index=fake_index))
    blocks = build_blocks(stand_in, Settings(index_dir=tmp_path, staff_token="s3cret"))
    assert [label for label, visible in tabs_of(blocks).items() if visible] == ["问答", "数字速览"]
    public = {d.api_name for d in blocks.fns.values() if d.api_visibility == "public"}
    assert public == {"ask", "retrieve"}


def test_the_staff_tabs_exist_hidden_until_the_page_is_opened_with_the_token(fake_index, tmp_path):
    stand_in = SimpleNamespace(answer=lambda question, history=None: None, retriever=SimpleNamespace(index=fake_index))
    blocks = build_blocks(stand_in, Settings(index_dir=tmp_path, staff_token="s3cret"))
    tabs = tabs_of(blocks)
    assert list(tabs) == ["问答", "数字速览", "评测", "反馈"]
    assert tabs["评测"] is False and tabs["反馈"] is False
    staff_tabs = [b for b in blocks.blocks.values() if isinstance(b, gr.Tab) and b.label in ("评测", "反馈")]
    on_load = [d for d in blocks.fns.values() if d.targets and d.targets[0][1] == "load"]
    assert any(all(tab in d.outputs for tab in staff_tabs) for d in on_load)  # revealed on page load, to staff

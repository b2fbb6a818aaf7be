"""The report folder, from hand-made results: what it holds, and that a crash leaves none behind."""

from __future__ import annotations

import json

import pytest

from eval import chart, report
from eval.golden import GoldenItem
from eval.run import AnswerResult, ConfigurationRun, RetrievalResult
from rag.types import Answer, Passage

GDP = GoldenItem(
    "g003",
    "历城去年GDP多少？",
    "2022年历城区预计实现地区生产总值1265亿元。",
    ("1265亿元",),
    ("预计实现地区生产总值1265亿元",),
    "一、2022年工作回顾",
    2022,
    "number",
)
GRAIN = GoldenItem(
    "g006",
    "22年历城粮食总产量有多少？",
    "2022年历城区粮食总产量达到10.5万吨。",
    ("10.5万吨",),
    ("粮食总产量达到10.5万吨",),
    "一、2022年工作回顾",
    2022,
    "number",
    ({"role": "user", "content": "去年农业怎么样？"}, {"role": "assistant", "content": "农业增加值增速达到4%。"}),
)
PEOPLE = GoldenItem("g172", "历城区现在常住人口有多少？", "报告未提及。", ("报告未提及",), (), "", None, "unanswerable")


def passage(text: str, year: int = 2022) -> Passage:
    return Passage(text[:8], text, text, "一、2022年工作回顾 > 经济发展稳中有进", 3, year, 0.9)


GDP_PASSAGE = passage("预计实现地区生产总值1265亿元，增长3.5%。")
OTHER = passage("新建改扩建中小学、幼儿园12所。", 2023)


def run(name: str = "hybrid") -> ConfigurationRun:
    retrieval = [
        RetrievalResult(GDP, name, [GDP_PASSAGE, OTHER], [True, False], 0.03, 1),
        RetrievalResult(GRAIN, name, [OTHER, GDP_PASSAGE], [False, False], 0.04, 1),
        RetrievalResult(PEOPLE, name, [OTHER], [False], 0.02, 0),
    ]
    answers = [
        AnswerResult(
            GDP,
            name,
            Answer(GDP.question, "2022年（已完成）：预计实现地区生产总值1265亿元[1]。", [GDP_PASSAGE], False),
            True,
            True,
            0.05,
        ),
        AnswerResult(GRAIN, name, Answer(GRAIN.question, "报告未提及这一内容。", [OTHER], True), False, True, 0.05),
        AnswerResult(PEOPLE, name, Answer(PEOPLE.question, "报告未提及这一内容。", [], True), True, True, 0.04),
    ]
    return ConfigurationRun(name, "", retrieval, answers)


def info(**changes) -> report.RunInfo:
    return report.RunInfo(
        **{
            "golden": "staff.jsonl",
            "items": [GDP, GRAIN, PEOPLE],
            "seconds": 12.0,
            "load_average": 0.5,
            "breaches": None,
            **changes,
        }
    )


def test_the_folder_holds_the_report_the_results_and_the_chart(tmp_path):
    folder = report.write_report(tmp_path, [run("hybrid"), run("bm25")], info())
    assert sorted(p.name for p in folder.iterdir()) == ["accuracy_by_type.png", "report.md", "results.jsonl"]
    assert (folder / "accuracy_by_type.png").read_bytes().startswith(b"\x89PNG")
    lines = [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["configuration"], r["id"]) for r in lines] == [
        (c, i) for c in ("hybrid", "bm25") for i in ("g003", "g006", "g172")
    ]
    assert lines[0]["retrieved"][0] == {
        "rank": 1,
        "relevant": True,
        "year": 2022,
        "section": GDP_PASSAGE.section,
        "text": GDP_PASSAGE.text,
        "score": 0.9,
    }
    assert lines[1]["correct"] is False and lines[1]["refused"] is True


def test_the_report_shows_summary_breakdowns_and_every_failure_in_full(tmp_path):
    text = (report.write_report(tmp_path, [run()], info()) / "report.md").read_text(encoding="utf-8")
    assert "| hybrid | 0.500 | 0.500 | 0.500 |" in text  # hit@1/3/5 over the two answerable items
    assert "| configuration | number (n=2) | unanswerable (n=1) | all (n=3) |" in text
    assert "| hybrid | 0.500 | 1.000 | 0.667 |" in text
    assert "| configuration | 2022 (n=2) | none (n=1) | all (n=3) |" in text
    failures = text[text.index("## Failures") :]
    assert "1 failure(s)" in failures
    assert "#### g006 · number · 2022 · answer wrong, retrieval missed" in failures
    assert "- question: 22年历城粮食总产量有多少？" in failures
    assert "  - earlier user: 去年农业怎么样？" in failures
    assert "- expected: 2022年历城区粮食总产量达到10.5万吨。 — must include: 10.5万吨" in failures
    assert "- answered (refused): 报告未提及这一内容。" in failures
    assert "  2. ✗ 2022 · 一、2022年工作回顾 > 经济发展稳中有进 · 预计实现地区生产总值1265亿元，增长3.5%。" in failures
    assert "g003" not in failures and "g172" not in failures  # answered right: not a failure


def test_a_relevant_passage_is_shown_around_its_evidence():
    long_page = "前文" * 200 + "粮食总产量达到 10.5 万吨" + "后文" * 200
    excerpt = report._excerpt(long_page, GRAIN.evidence)
    assert "粮食总产量达到10.5万吨" in excerpt and excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= report.SHOWN_CHARS + 2


def test_a_crash_while_writing_leaves_no_folder_behind(tmp_path, monkeypatch):
    def broken_chart(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report, "draw_accuracy_by_type", broken_chart)
    with pytest.raises(RuntimeError, match="disk full"):
        report.write_report(tmp_path, [run()], info())
    assert list(tmp_path.iterdir()) == []


def test_two_runs_in_the_same_second_get_two_folders(tmp_path):
    same = info()
    first = report.write_report(tmp_path, [run()], same)
    second = report.write_report(tmp_path, [run()], same)
    assert first != second and second.name == first.name + "-2"


def test_without_a_chinese_font_the_chart_falls_back_to_english_labels(tmp_path, monkeypatch):
    assert chart.type_label("trap_year", chinese=True) == "年份陷阱\ntrap_year"
    assert chart.type_label("trap_year", chinese=False) == "trap_year"
    monkeypatch.setattr(chart, "cjk_font", lambda: None)
    chart.draw_accuracy_by_type({"hybrid": {"number": 0.5}}, {"number": 2}, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_the_machine_has_a_chinese_font_for_the_chart():
    font = chart.cjk_font()
    assert font is not None, "install fonts-wqy-microhei for Chinese chart labels"

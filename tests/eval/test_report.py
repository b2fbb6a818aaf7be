"""The report folder and its Markdown, from hand-made results: what they hold, and that a crash leaves
no folder behind. No model, no index."""

from __future__ import annotations

import json

import pytest

from eval import markdown, report
from eval.evaluation import AnswerResult, ConfigurationRun, RetrievalResult, RunInfo
from eval.golden import GoldenItem
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
    style="colloquial",
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
    style="followup",
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


def info(**changes) -> RunInfo:
    return RunInfo(
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
    assert [r["style"] for r in lines[:3]] == ["colloquial", "followup", None]


def test_the_report_shows_summary_breakdowns_and_every_failure_in_full(tmp_path):
    text = (report.write_report(tmp_path, [run()], info()) / "report.md").read_text(encoding="utf-8")
    assert "| hybrid | 0.500 | 0.500 | 0.500 |" in text  # hit@1/3/5 over the two answerable items
    assert "| configuration | number (n=2) | unanswerable (n=1) | all (n=3) |" in text
    assert "| hybrid | 0.500 | 1.000 | 0.667 |" in text
    assert "| configuration | 2022 (n=2) | none (n=1) | all (n=3) |" in text
    failures = text[text.index("## Failures") :]
    assert "1 failure(s)" in failures
    assert "#### g006 · number · followup · 2022 · answer wrong, retrieval missed" in failures
    assert "- question: 22年历城粮食总产量有多少？" in failures
    assert "  - earlier user: 去年农业怎么样？" in failures
    assert "- expected: 2022年历城区粮食总产量达到10.5万吨。 — must include: 10.5万吨" in failures
    assert "- answered (refused): 报告未提及这一内容。" in failures
    assert "  2. ✗ 2022 · 一、2022年工作回顾 > 经济发展稳中有进 · 预计实现地区生产总值1265亿元，增长3.5%。" in failures
    assert "g003" not in failures and "g172" not in failures  # answered right: not a failure


def section(text: str, heading: str) -> str:
    """The lines of one "### heading" section of the summary."""
    start = text.index(f"### {heading}")
    end = text.find("\n### ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def test_accuracy_is_shown_per_style_commonest_first_and_unstyled_items_last():
    styles = section(markdown.summary_markdown([run()], info()), "Accuracy per question style")
    assert "| configuration | colloquial (n=1) | followup (n=1) | none (n=1) | all (n=3) |" in styles
    assert "| hybrid | 1.000 | 0.000 | 1.000 | 0.667 |" in styles  # GDP right, GRAIN wrong, PEOPLE refused


def test_a_set_without_styles_has_no_style_table():
    plain = [GoldenItem(**{**vars(item), "style": None}) for item in (GDP, GRAIN, PEOPLE)]
    text = markdown.summary_markdown([run()], info(items=plain))
    assert "### Accuracy per question type" in text
    assert "per question style" not in text


def scored(name: str, outcomes: list[tuple[GoldenItem, bool]]) -> ConfigurationRun:
    """A run in which each item was answered right or wrong, nothing retrieved."""
    retrieval = [RetrievalResult(item, name, [], [], 0.01, 1) for item, _ in outcomes]
    answers = [
        AnswerResult(item, name, Answer(item.question, "……", [], not correct), correct, True, 0.01) for item, correct in outcomes
    ]
    return ConfigurationRun(name, "", retrieval, answers)


def test_year_traps_and_follow_ups_get_their_own_line_whatever_their_type():
    trap = GoldenItem("t1", "2023年GDP多少？", "报告未提及2023年的数字。", ("1265亿元",), ("1265亿元",), "", 2023, "trap_year")
    other_trap = GoldenItem(**{**vars(trap), "id": "t2"})
    outcomes = [(GDP, True), (GRAIN, True), (trap, True), (other_trap, False), (PEOPLE, False)]
    text = markdown.summary_markdown([scored("hybrid", outcomes)], info(items=[item for item, _ in outcomes]))
    lines = section(text, "Year traps and follow-ups")
    assert "| configuration | year traps (type trap_year), n=2 | follow-ups (with chat history), n=1 |" in lines
    assert "| hybrid | 0.500 | 1.000 |" in lines  # one trap of two; GRAIN, the follow-up, answered right


def test_a_set_without_year_traps_shows_a_dash_not_a_zero():
    lines = section(markdown.summary_markdown([run()], info()), "Year traps and follow-ups")
    assert "| hybrid | — | 0.000 |" in lines  # no trap_year item; the one follow-up (GRAIN) answered wrong


def test_a_relevant_passage_is_shown_around_its_evidence():
    long_page = "前文" * 200 + "粮食总产量达到 10.5 万吨" + "后文" * 200
    excerpt = markdown.excerpt(long_page, GRAIN.evidence)
    assert "粮食总产量达到10.5万吨" in excerpt and excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= markdown.SHOWN_CHARS + 2


def test_a_crash_while_writing_leaves_no_folder_behind(tmp_path, monkeypatch):
    def broken_chart(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report, "draw_chart", broken_chart)
    with pytest.raises(RuntimeError, match="disk full"):
        report.write_report(tmp_path, [run()], info())
    assert list(tmp_path.iterdir()) == []


def test_two_runs_in_the_same_second_get_two_folders(tmp_path):
    same = info()
    first = report.write_report(tmp_path, [run()], same)
    second = report.write_report(tmp_path, [run()], same)
    assert first != second and second.name == first.name + "-2"

"""`reportqa eval` as staff use it: their own golden files, one-line errors, the printed tables, the
gate's exit code. Most runs use the session's fake index: what is checked here is the command, not
the model's quality (tests/eval/test_regression_gate.py holds that)."""

from __future__ import annotations

import json

import pytest

from eval.golden import TYPES
from ui.cli import main


def reportqa(*args: str) -> int:
    return main(["eval", *args])


def test_a_malformed_golden_file_is_one_line_naming_the_line_and_nothing_is_written(tmp_path, capsys, golden_line, no_index):
    golden = tmp_path / "staff.jsonl"
    golden.write_text(golden_line("g003") + "\n" + golden_line("g006").replace('"type": "number"', '"type": "opinion"') + "\n")
    reports = tmp_path / "reports"
    assert reportqa("--golden", str(golden), "--reports", str(reports)) == 2
    err = capsys.readouterr().err
    assert err == f"reportqa: {golden}:2: unknown type 'opinion' (one of: {', '.join(TYPES)})\n"
    assert not reports.exists()


def test_a_missing_golden_file_is_one_line(tmp_path, capsys, no_index):
    assert reportqa("--golden", str(tmp_path / "nope.jsonl")) == 2
    assert capsys.readouterr().err == f"reportqa: {tmp_path / 'nope.jsonl'}: file not found\n"


def test_an_unknown_configuration_or_thresholds_file_is_refused_before_the_model_loads(tmp_path, capsys, tiny_golden, no_index):
    assert reportqa("--golden", str(tiny_golden), "--configurations", "hybrid,bm42") == 2
    assert "unknown configuration 'bm42'" in capsys.readouterr().err
    assert reportqa("--golden", str(tiny_golden), "--gate", str(tmp_path / "missing.toml")) == 2
    assert "missing.toml: cannot read" in capsys.readouterr().err


def test_a_run_prints_progress_the_tables_and_the_report_path(tmp_path, capsys, tiny_golden, fake_index_opened):
    reports = tmp_path / "reports"
    code = reportqa(
        "--golden", str(tiny_golden), "--configurations", "hybrid,bm25", "--degrade", "keyword", "--reports", str(reports)
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "golden set: " in captured.err and "(3 items, 2 answerable)" in captured.err
    assert "bm25: answers" in captured.err and "12/12" in captured.err  # the progress bar: 2 × 3 items × 2 configurations
    out = captured.out
    for heading in ("### Retrieval", "### Answers", "### Accuracy per question type", "### Year traps and follow-ups"):
        assert heading in out
    assert "| hybrid (degraded: keyword retrieval only) |" in out and "| bm25 |" in out
    (folder,) = reports.iterdir()
    assert f"report: {folder}" in out
    assert sorted(p.name for p in folder.iterdir()) == ["accuracy_by_type.png", "report.md", "results.jsonl"]


def test_a_set_with_styles_is_broken_down_by_style(tmp_path, capsys, golden_line, fake_index_opened):
    golden = tmp_path / "styled.jsonl"
    styled = [{**json.loads(golden_line(i)), "style": style} for i, style in (("g003", "typo"), ("g053", "followup"))]
    golden.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in styled) + "\n", encoding="utf-8")
    assert reportqa("--golden", str(golden), "--configurations", "hybrid", "--reports", str(tmp_path / "reports")) == 0
    out = capsys.readouterr().out
    assert "### Accuracy per question style" in out
    assert "| configuration | followup (n=1) | typo (n=1) | all (n=2) |" in out


def test_the_gate_exits_1_and_names_the_metric_and_the_gap(tmp_path, capsys, tiny_golden, fake_index_opened):
    thresholds = tmp_path / "thresholds.toml"
    # One bound every run meets, and one no run can meet: only the second is reported.
    thresholds.write_text('[hybrid.min]\nanswer_accuracy = 0.0\n"hit@5" = 1.01\n')
    reports = tmp_path / "reports"
    code = reportqa(
        "--golden", str(tiny_golden), "--configurations", "hybrid", "--gate", str(thresholds), "--reports", str(reports)
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "gate: FAILED, 1 metric(s) out of bounds:\n  hybrid hit@5 = " in out
    assert ", below its floor 1.010 by " in out
    (folder,) = reports.iterdir()
    assert "gate: FAILED" in (folder / "report.md").read_text(encoding="utf-8")


def test_a_gate_that_holds_exits_0(tmp_path, capsys, tiny_golden, fake_index_opened):
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[hybrid.min]\ngrounded_rate = 0.0\n")
    code = reportqa(
        "--golden", str(tiny_golden), "--configurations", "hybrid", "--gate", str(thresholds), "--reports", str(tmp_path / "r")
    )
    assert code == 0
    assert "gate: passed" in capsys.readouterr().out


@pytest.mark.model
def test_the_real_system_answers_the_tiny_set_through_the_command(tmp_path, capsys, tiny_golden, session_index_env):
    reports = tmp_path / "reports"
    assert reportqa("--golden", str(tiny_golden), "--configurations", "hybrid", "--reports", str(reports)) == 0
    (folder,) = reports.iterdir()
    lines = [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    by_id = {line["id"]: line for line in lines}
    assert by_id["g003"]["correct"] and "1265亿元" in by_id["g003"]["answer"]
    assert by_id["g172"]["refused"] and by_id["g172"]["correct"]

"""`reportqa eval` as staff use it: their own golden files, one-line errors, the gate's exit code."""

from __future__ import annotations

import pytest

from ui.cli import main


def reportqa(*args: str) -> int:
    return main(["eval", *args])


@pytest.fixture
def no_index(monkeypatch):
    """Fails the test if the command gets as far as opening the index (and loading the model)."""
    monkeypatch.setattr("rag.store.index.Index.open", lambda *args, **kwargs: pytest.fail("the index was opened"))


def test_a_malformed_golden_file_is_one_line_naming_the_line_and_nothing_is_written(
    tmp_path, capsys, golden_line, session_index_env, no_index
):
    golden = tmp_path / "staff.jsonl"
    golden.write_text(golden_line("g003") + "\n" + golden_line("g006").replace('"type": "number"', '"type": "opinion"') + "\n")
    reports = tmp_path / "reports"
    assert reportqa("--golden", str(golden), "--reports", str(reports)) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"reportqa: {golden}:2: unknown type 'opinion' (one of: number, fact, list, target, trap_year, unanswerable, multi)\n"
    )
    assert not reports.exists()


def test_an_unknown_configuration_or_thresholds_file_is_refused_before_the_model_loads(
    tmp_path, capsys, tiny_golden, session_index_env, no_index
):
    assert reportqa("--golden", str(tiny_golden), "--configurations", "hybrid,bm42") == 2
    assert "unknown configuration 'bm42'" in capsys.readouterr().err
    assert reportqa("--golden", str(tiny_golden), "--gate", str(tmp_path / "missing.toml")) == 2
    assert "missing.toml: cannot read" in capsys.readouterr().err


@pytest.mark.slow
def test_the_gate_exits_1_and_names_the_metric_and_the_gap(tmp_path, capsys, tiny_golden, session_index_env):
    thresholds = tmp_path / "thresholds.toml"
    # One bound the tiny run meets, and one no run can meet: only the second is reported.
    thresholds.write_text('[hybrid.min]\nanswer_accuracy = 0.5\n"hit@5" = 1.01\n')
    reports = tmp_path / "reports"
    code = reportqa(
        "--golden", str(tiny_golden), "--configurations", "hybrid", "--gate", str(thresholds), "--reports", str(reports)
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "gate: FAILED, 1 metric(s) out of bounds:\n  hybrid hit@5 = 1.000, below its floor 1.010 by 0.010" in out
    (folder,) = reports.iterdir()
    assert f"report: {folder}" in out
    assert "gate: FAILED" in (folder / "report.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_run_prints_the_tables_and_the_report_path(tmp_path, capsys, tiny_golden, session_index_env):
    reports = tmp_path / "reports"
    assert (
        reportqa(
            "--golden", str(tiny_golden), "--configurations", "hybrid,bm25", "--degrade", "keyword", "--reports", str(reports)
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "### Retrieval" in out and "### Answers" in out and "### Accuracy per question type" in out
    assert "| hybrid (degraded: keyword retrieval only) |" in out and "| bm25 |" in out
    (folder,) = reports.iterdir()
    assert f"report: {folder}" in out

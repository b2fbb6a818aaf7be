"""The gate's rules on made-up summaries: floors, ceilings, and thresholds files that are wrong."""

from __future__ import annotations

import pytest

from eval import gate
from eval.run import ANSWER_COLUMNS, RETRIEVAL_COLUMNS

KNOWN = RETRIEVAL_COLUMNS + ANSWER_COLUMNS


def thresholds(tmp_path, text: str):
    path = tmp_path / "thresholds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_metric_below_its_floor_or_above_its_ceiling_is_reported_with_the_gap(tmp_path):
    bounds = gate.load_thresholds(
        thresholds(tmp_path, '[hybrid.min]\n"hit@1" = 0.87\nMRR = 0.92\n[hybrid.max]\nfalse_refusal_rate = 0.01\n'), KNOWN
    )
    summary = {"hybrid": {"hit@1": 0.702, "MRR": 0.95, "false_refusal_rate": 0.041}}
    breaches = gate.check(bounds, summary)
    assert [str(b) for b in breaches] == [
        "hybrid hit@1 = 0.702, below its floor 0.870 by 0.168",
        "hybrid false_refusal_rate = 0.041, above its ceiling 0.010 by 0.031",
    ]
    assert gate.verdict(breaches).startswith("gate: FAILED, 2 metric(s) out of bounds:")


def test_a_value_exactly_on_the_bound_passes(tmp_path):
    bounds = gate.load_thresholds(
        thresholds(tmp_path, "[hybrid.min]\ngrounded_rate = 1.0\n[hybrid.max]\nfalse_refusal_rate = 0.0\n")
    )
    assert gate.check(bounds, {"hybrid": {"grounded_rate": 1.0, "false_refusal_rate": 0.0}}) == []
    assert gate.verdict([]) == "gate: passed (every metric within its threshold)"


def test_the_shipped_thresholds_cover_the_headline_metrics_of_hybrid():
    bounds = gate.load_thresholds(gate.THRESHOLDS, KNOWN)
    assert {b.configuration for b in bounds} == {"hybrid"}
    floors = {b.metric for b in bounds if b.kind == "min"}
    ceilings = {b.metric: b.limit for b in bounds if b.kind == "max"}
    assert floors == {
        "hit@1",
        "hit@5",
        "MRR",
        "nDCG@5",
        "answer_accuracy",
        "refusal_recall",
        "citation_precision",
        "grounded_rate",
    }
    assert ceilings.keys() == {"false_refusal_rate"}
    assert next(b.limit for b in bounds if b.metric == "grounded_rate") == 1.0


@pytest.mark.parametrize(
    "text, reason",
    [
        ('[hybrid.min]\n"hit@7" = 0.9\n', r"unknown metric 'hit@7'"),
        ('[hybrid.min]\nMRR = "high"\n', r"MRR must be a number, not 'high'"),
        ("[hybrid.floor]\nMRR = 0.9\n", r"\[hybrid\] may only hold \[hybrid.min\] and \[hybrid.max\]"),
        ("[hybrid.min\nMRR = 0.9\n", r"not valid TOML"),
        ("# nothing yet\n", r"no thresholds"),
    ],
)
def test_a_wrong_thresholds_file_is_refused_before_anything_runs(tmp_path, text, reason):
    with pytest.raises(gate.ThresholdsError, match=reason):
        gate.load_thresholds(thresholds(tmp_path, text), KNOWN)


def test_the_gate_needs_its_configurations_in_the_run(tmp_path):
    bounds = gate.load_thresholds(thresholds(tmp_path, "[hybrid.min]\nMRR = 0.9\n"), KNOWN)
    gate.require_configurations(bounds, ["hybrid", "bm25"])
    with pytest.raises(gate.ThresholdsError, match="thresholds for hybrid: add it to --configurations"):
        gate.require_configurations(bounds, ["bm25"])

"""The gate's rules on made-up summaries: floors, ceilings, and thresholds files that are wrong."""

from __future__ import annotations

import pytest

from eval import gate
from eval.evaluation import METRIC_COLUMNS

KNOWN = METRIC_COLUMNS


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


# The hybrid figures when the floors were set, and the dense-only figures of the same run (README; it
# gives no citation precision for dense, so that one is hybrid's).
HYBRID = {
    "hit@1": 0.889, "hit@5": 0.988, "MRR": 0.935, "nDCG@5": 0.940, "answer_accuracy": 0.924,
    "refusal_recall": 0.870, "false_refusal_rate": 0.000, "citation_precision": 0.908, "grounded_rate": 1.000,
}  # fmt: skip
DENSE_ONLY = {
    "hit@1": 0.702, "hit@5": 0.906, "MRR": 0.783, "nDCG@5": 0.792, "answer_accuracy": 0.836,
    "refusal_recall": 0.870, "false_refusal_rate": 0.041, "citation_precision": 0.908, "grounded_rate": 1.000,
}  # fmt: skip


def test_the_shipped_thresholds_pass_the_system_and_catch_a_run_without_bm25():
    bounds = gate.load_thresholds(gate.THRESHOLDS, KNOWN)
    assert gate.check(bounds, {"hybrid": HYBRID}) == []
    caught = {b.bound.metric for b in gate.check(bounds, {"hybrid": DENSE_ONLY})}
    assert caught >= {"hit@1", "hit@5", "MRR", "nDCG@5", "answer_accuracy", "false_refusal_rate"}


def test_the_shipped_thresholds_allow_no_ungrounded_figure_and_no_second_false_refusal():
    bounds = gate.load_thresholds(gate.THRESHOLDS, KNOWN)
    one_ungrounded = {**HYBRID, "grounded_rate": 0.995}
    two_false_refusals = {**HYBRID, "false_refusal_rate": 2 / 171}
    assert [b.bound.metric for b in gate.check(bounds, {"hybrid": one_ungrounded})] == ["grounded_rate"]
    assert [b.bound.metric for b in gate.check(bounds, {"hybrid": two_false_refusals})] == ["false_refusal_rate"]


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

"""The regression gate: the hybrid configuration on eval/golden.jsonl must hold every bound of
eval/thresholds.toml. Hybrid only, so the suite stays quick (~30 s); `reportqa eval --gate` checks
the same bounds from the command line."""

from __future__ import annotations

import pytest

from eval import gate
from eval.command import one_torch_thread
from eval.configurations import build_configurations
from eval.evaluation import METRIC_COLUMNS, evaluate
from eval.golden import DEFAULT_GOLDEN, load_golden
from eval.query_cache import with_query_cache

pytestmark = pytest.mark.model


def test_the_hybrid_configuration_holds_every_threshold(index, settings):
    bounds = gate.load_thresholds(gate.THRESHOLDS, METRIC_COLUMNS)
    items = load_golden(DEFAULT_GOLDEN, settings.documents[0])
    view, cache = with_query_cache(index)
    with one_torch_thread():  # as `reportqa eval` measures
        (run,) = evaluate(items, build_configurations(view, settings.documents[0], ("hybrid",)), cache.clock)
    breaches = gate.check(bounds, {run.name: run.summary})
    assert not breaches, gate.verdict(breaches)

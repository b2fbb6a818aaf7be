"""All four configurations, end to end, on the real model and index: each retrieves and answers."""

from __future__ import annotations

import pytest

from eval.configurations import NAMES, build_configurations
from eval.evaluation import evaluate
from eval.golden import load_golden
from eval.query_cache import with_query_cache

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def runs(index, settings, tmp_path_factory, golden_line):
    path = tmp_path_factory.mktemp("golden") / "tiny.jsonl"
    path.write_text("\n".join(golden_line(i) for i in ("g003", "g053", "g172")) + "\n", encoding="utf-8")
    items = load_golden(path, settings.documents[0])
    view, cache = with_query_cache(index)
    configurations = build_configurations(view, settings.documents[0], NAMES)
    ticks = []
    return {r.name: r for r in evaluate(items, configurations, cache.clock, ticks.append)}, ticks


def test_every_configuration_retrieves_and_answers_every_item(runs):
    by_name, ticks = runs
    assert list(by_name) == list(NAMES)
    for run in by_name.values():
        assert [r.item.id for r in run.retrieval] == ["g003", "g053", "g172"]
        assert [r.item.id for r in run.answers] == ["g003", "g053", "g172"]
        assert all(len(r.passages) == 5 for r in run.retrieval)
        assert set(run.summary) >= {"hit@1", "nDCG@5", "answer_accuracy", "refusal_recall", "answer_p95_ms"}
    assert len(ticks) == 2 * 3 * len(NAMES)
    assert ticks[0] == "hybrid: retrieval" and ticks[-1] == "llamaindex: answers"


def test_the_configurations_really_differ_in_how_they_search(runs):
    by_name, _ = runs
    bm25 = by_name["bm25"].retrieval[0].passages
    assert all(p.dense_score == 0.0 and p.keyword_score > 0 for p in bm25)
    assert all(p.keyword_score == 0.0 for p in by_name["dense"].retrieval[0].passages)


def test_the_llamaindex_baseline_answers_with_passages_that_know_no_year(runs):
    baseline = runs[0]["llamaindex"]
    passages = [p for r in baseline.retrieval for p in r.passages]
    assert all(p.year == 0 and p.section == "" for p in passages)
    assert all(isinstance(r.answer.text, str) and r.answer.text for r in baseline.answers)
    # Its answers label those passages "0年（已完成）"; that label is no ungrounded figure.
    assert all(r.grounded for r in baseline.answers if not r.answer.refused)
    # Its chunks are long raw pages: their count differs from the index's, and relevance is judged on them.
    assert baseline.retrieval[0].relevant_total >= 1


def test_hybrid_answers_the_number_question_and_refuses_the_unanswerable_one(runs):
    answers = {r.item.id: r for r in runs[0]["hybrid"].answers}
    assert answers["g003"].correct and "1265亿元" in answers["g003"].answer.text
    assert answers["g172"].answer.refused and answers["g172"].correct
    assert all(r.grounded for r in answers.values() if not r.answer.refused)

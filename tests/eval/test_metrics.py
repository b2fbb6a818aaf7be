"""The metric arithmetic, pinned by cases small enough to work out by hand (the numbers in comments)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from eval import metrics

T, F = True, False


def test_hit_at_k_is_whether_any_of_the_first_k_is_relevant():
    ranking = [F, T, F]
    assert metrics.hit_at_k(ranking, 1) == 0.0
    assert metrics.hit_at_k(ranking, 2) == 1.0
    assert metrics.hit_at_k(ranking, 5) == 1.0  # k beyond the list is the whole list
    assert metrics.hit_at_k([F, F, F], 3) == 0.0
    assert metrics.hit_at_k([], 1) == 0.0


def test_reciprocal_rank_is_one_over_the_first_relevant_rank():
    assert metrics.reciprocal_rank([T, F, T]) == 1.0
    assert metrics.reciprocal_rank([F, F, T]) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank([F, F, F]) == 0.0
    # MRR over three questions: (1 + 1/3 + 0) / 3
    assert metrics.mean([metrics.reciprocal_rank(r) for r in ([T], [F, F, T], [F])]) == pytest.approx(4 / 9)


def test_ndcg_by_hand():
    # Relevant at ranks 2 and 4, two relevant passages exist:
    # DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161
    # IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.63093 = 1.63093
    assert metrics.dcg_at_k([F, T, F, T, F], 5) == pytest.approx(1.06161, abs=1e-5)
    assert metrics.ndcg_at_k([F, T, F, T, F], 5, relevant_total=2) == pytest.approx(1.06161 / 1.63093, abs=1e-5)
    # One relevant passage in the corpus, found at rank 3: 1/log2(4) = 0.5
    assert metrics.ndcg_at_k([F, F, T, F, F], 5, relevant_total=1) == pytest.approx(0.5)
    # Only the first k count: the relevant passage at rank 6 is outside nDCG@5.
    assert metrics.ndcg_at_k([F, F, F, F, F, T], 5, relevant_total=1) == 0.0


def test_ndcg_is_one_for_a_perfect_ranking_even_when_more_relevant_passages_exist_than_k():
    assert metrics.ndcg_at_k([T, F, F, F, F], 5, relevant_total=1) == 1.0
    assert metrics.ndcg_at_k([T] * 5, 5, relevant_total=7) == pytest.approx(1.0)
    assert metrics.ndcg_at_k([F] * 5, 5, relevant_total=0) == 0.0


def test_ndcg_refuses_a_relevant_total_that_would_push_it_above_one():
    # The bug this guards against: two overlapping chunks hold the same evidence, the ideal counts
    # one, and nDCG comes out as (1 + 0.63) / 1 = 1.63.
    with pytest.raises(ValueError, match="relevant_total=1"):
        metrics.ndcg_at_k([T, T, F], 5, relevant_total=1)


def test_context_precision_is_average_precision_over_the_relevant_ranks():
    # Relevant at ranks 1 and 3: precision@1 = 1/1, precision@3 = 2/3 → (1 + 2/3) / 2 = 0.8333
    assert metrics.context_precision([T, F, T, F, F], 5) == pytest.approx(5 / 6)
    # Relevant at rank 2 only: precision@2 = 1/2
    assert metrics.context_precision([F, T, F], 5) == pytest.approx(0.5)
    assert metrics.context_precision([F, F, F], 5) == 0.0
    # Beyond k nothing counts.
    assert metrics.context_precision([F, F, T], 2) == 0.0


def test_context_recall_is_the_share_of_evidence_pieces_found_in_some_passage():
    passages = ["新增学位 1.7 万个，新建19处中小学", "地区生产总值1265亿元"]
    evidence = ["新增学位1.7万个", "1265亿元", "粮食总产量达到10.5万吨"]
    assert metrics.context_recall(passages, evidence) == pytest.approx(2 / 3)  # whitespace is ignored
    assert metrics.context_recall(passages, []) == 0.0


def test_relevance_is_containment_of_an_evidence_piece_whitespace_aside():
    evidence = ("新增学位1.7万个",)
    assert metrics.relevance(["新建19处中小学、幼儿园，新增学位 1.7\n万个。", "新增学位"], evidence) == [T, F]


def test_refusal_precision_and_recall():
    refused = [T, T, T, F, F]
    unanswerable = [T, F, F, T, F]
    # 1 of the 3 refusals was right (precision 1/3); 1 of the 2 unanswerable items was refused (recall 1/2).
    assert metrics.precision_recall(refused, unanswerable) == pytest.approx((1 / 3, 1 / 2))
    # Never refusing: precision is 0 by convention, recall 0.
    assert metrics.precision_recall([F, F], [T, F]) == (0.0, 0.0)
    assert metrics.precision_recall([T, T], [T, T]) == (1.0, 1.0)


def test_percentile_interpolates_between_closest_ranks():
    values = [40, 10, 30, 20]  # sorted: 10 20 30 40
    assert metrics.percentile(values, 50) == pytest.approx(25.0)  # halfway between 20 and 30
    assert metrics.percentile(values, 95) == pytest.approx(38.5)  # position 0.95 × 3 = 2.85: 30 + 0.85 × 10
    assert metrics.percentile(values, 0) == 10
    assert metrics.percentile(values, 100) == 40
    assert metrics.percentile([7.0], 95) == 7.0
    assert metrics.percentile([], 50) == 0.0


def test_percentile_agrees_with_numpy():
    rng = random.Random(7)
    values = [rng.uniform(0, 500) for _ in range(37)]
    for q in (5, 50, 90, 95, 99):
        assert metrics.percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_answer_is_correct_when_every_required_string_stands_in_it():
    assert metrics.answer_correct("2022年（已完成）：新增学位1.7万个[1]。", ["1.7万"])
    assert metrics.answer_correct("新增学位 1.7 万个", ["1.7万"])  # raw PDF spacing is not an error
    assert not metrics.answer_correct("新增学位1.7万个", ["1.7万", "12所"])


def test_numbers_are_grounded_when_each_stands_in_a_cited_passage():
    cited = ["新建19处中小学、幼儿园，新增学位1.7万个。"]
    assert metrics.numbers_grounded("2022年（已完成）：新增学位1.7万个[1]。", cited)  # year label and [1] are no figures
    assert not metrics.numbers_grounded("新增学位2万个[1]。", cited)
    assert not metrics.numbers_grounded("新增学位1.7万个，投资5亿元[1]。", cited)
    assert not metrics.numbers_grounded("新建9处[1]。", cited)  # whole numbers: "9" is not "19"
    assert metrics.numbers_grounded("报告未提及这一内容。", [])
    # The year label of a passage without a year (the llama-index baseline's) is allowed by name.
    assert not metrics.numbers_grounded("0年（已完成）：新增学位1.7万个[1]。", cited)
    assert metrics.numbers_grounded("0年（已完成）：新增学位1.7万个[1]。", cited, allowed=["0"])


def test_mean_of_nothing_is_zero():
    assert metrics.mean([]) == 0.0
    assert math.isclose(metrics.mean([True, False, True, True]), 0.75)

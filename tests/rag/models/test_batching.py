"""The batcher: callers whose requests overlap in time share one embedding pass, each gets its own rows."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from rag.models.batching import Batcher


class SlowFirstPass:
    """Embeds a text as [its length]; the first pass waits until told, so other callers queue behind it."""

    def __init__(self):
        self.passes: list[list[str]] = []
        self.release = threading.Event()

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.passes.append(list(texts))
        if len(self.passes) == 1:
            assert self.release.wait(10)
        return np.array([[float(len(t))] for t in texts], dtype=np.float32)


def test_a_lone_caller_is_embedded_at_once_and_gets_its_rows():
    model = SlowFirstPass()
    model.release.set()

    rows = Batcher(model).embed(["a", "bbb"])

    assert rows.tolist() == [[1.0], [3.0]]
    assert model.passes == [["a", "bbb"]]


def test_callers_that_queue_while_a_pass_runs_share_the_next_pass():
    model = SlowFirstPass()
    batcher = Batcher(model, max_batch=32, workers=1)
    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(batcher.embed, ["x"])
        while not model.passes:  # the first pass has started and is held
            threading.Event().wait(0.01)
        others = [pool.submit(batcher.embed, ["y" * n, "z" * (10 + n)]) for n in range(1, 5)]
        while batcher._queue.qsize() < 4:
            threading.Event().wait(0.01)
        model.release.set()
        results = [first.result(10)] + [future.result(10) for future in others]

    assert len(model.passes) == 2 and len(model.passes[1]) == 8  # four callers, one pass
    assert results[0].tolist() == [[1.0]]
    assert [r.tolist() for r in results[1:]] == [[[float(n)], [float(10 + n)]] for n in range(1, 5)]


def test_a_pass_holds_at_most_max_batch_texts_and_never_splits_a_caller():
    model = SlowFirstPass()
    batcher = Batcher(model, max_batch=4, workers=1)
    with ThreadPoolExecutor(5) as pool:
        held = pool.submit(batcher.embed, ["x"])
        while not model.passes:
            threading.Event().wait(0.01)
        callers = [pool.submit(batcher.embed, ["ab", "cd", "ef"]) for _ in range(3)]
        while batcher._queue.qsize() < 3:
            threading.Event().wait(0.01)
        model.release.set()
        for future in [held, *callers]:
            future.result(10)

    assert [len(texts) for texts in model.passes[1:]] == [6, 3]  # 3 < 4 takes the next caller whole


def test_with_two_workers_a_question_is_not_held_up_by_a_slow_pass():
    model = SlowFirstPass()
    batcher = Batcher(model, workers=2)
    with ThreadPoolExecutor(2) as pool:
        held = pool.submit(batcher.embed, ["x"])
        while not model.passes:
            threading.Event().wait(0.01)
        assert pool.submit(batcher.embed, ["yy"]).result(10).tolist() == [[2.0]]  # while the first is held
        model.release.set()
        assert held.result(10).tolist() == [[1.0]]


def test_a_failed_pass_fails_its_callers_and_the_next_pass_still_runs():
    calls = []

    def flaky(texts):
        calls.append(texts)
        if len(calls) == 1:
            raise RuntimeError("out of memory")
        return np.ones((len(texts), 2), dtype=np.float32)

    batcher = Batcher(flaky)
    with pytest.raises(RuntimeError, match="out of memory"):
        batcher.embed(["a"])

    assert batcher.embed(["b"]).shape == (1, 2)

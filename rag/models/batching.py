"""Concurrent callers' texts embedded in one forward pass.

On this machine's two cores one short question costs e5-small in torch about 45 ms, but sixteen questions in
one batch cost about 13 ms each: a transformer on a handful of tokens leaves the matrix units idle (ONNX
Runtime, the default, gains less: 27 against 17 ms of CPU, rag/models/onnx_runtime.py). When many
citizens ask at once, the server's threads each want one question embedded; the batcher hands them to its
worker threads, each of which takes whatever has queued while it was busy and embeds it together. Nobody
waits for a batch to fill: a lone caller is embedded at once, so a quiet server answers as fast as before,
and a busy one does more work per second.

Two workers, not one: ONNX Runtime computes a pass on one thread, so two workers keep both cores busy. In torch
a forward pass holds Python's GIL between its tensor operations, and under load the request threads keep taking
it, so a single worker spends much of a pass waiting; with two, one computes while the other waits (100 clients
with torch's int8 model: 61 answers a second against 50 with one worker; README "Many citizens at once").

    batcher = Batcher(embed_batch, max_batch=32)   # embed_batch: list of texts -> one row per text
    vector = batcher.embed(["query: 2023年新增学位多少"])[0]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np


@dataclass
class _Request:
    texts: list[str]
    result: Future = field(default_factory=Future)


class Batcher:
    """`embed(texts)` from any thread; the texts of callers that overlap in time go through `embed_batch`
    together (at most `max_batch` texts a pass, a caller's texts never split), each caller gets its rows."""

    def __init__(self, embed_batch: Callable[[list[str]], np.ndarray], max_batch: int = 32, workers: int = 2):
        self.embed_batch = embed_batch
        self.max_batch = max_batch
        self.workers = workers
        self._queue: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        request = _Request(list(texts))
        self._ensure_workers()
        self._queue.put(request)
        return request.result.result()

    def _ensure_workers(self) -> None:
        with self._start_lock:
            self._workers = [worker for worker in self._workers if worker.is_alive()]
            while len(self._workers) < self.workers:
                # Daemons: they hold no state worth finishing, and must not keep a CLI process alive.
                worker = threading.Thread(target=self._work, name="embedding-batcher", daemon=True)
                worker.start()
                self._workers.append(worker)

    def _work(self) -> None:
        while True:
            batch = [self._queue.get()]
            size = len(batch[0].texts)
            while size < self.max_batch:
                try:
                    request = self._queue.get_nowait()
                except queue.Empty:
                    break
                batch.append(request)
                size += len(request.texts)
            self._run(batch)

    def _run(self, batch: list[_Request]) -> None:
        try:
            vectors = self.embed_batch([text for request in batch for text in request.texts])
        except BaseException as error:  # every caller of the pass learns of the failure; the worker goes on
            for request in batch:
                request.result.set_exception(error)
            return
        start = 0
        for request in batch:
            request.result.set_result(vectors[start : start + len(request.texts)])
            start += len(request.texts)

"""Speed and memory of ReportQA on this machine: ingest, cold start, warm retrieve and answer latency.

    .venv/bin/python bench/benchmark.py            # prints the figures; nothing is asserted

Targets (from the issues): warm retrieval p95 ≤ 100 ms, warm answer() p95 ≤ 150 ms on 2 cores.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.offline import go_offline  # noqa: E402

go_offline()

COLD_START = """
import time, json
start = time.perf_counter()
from rag import Retriever
retriever = Retriever.load()
retriever.retrieve("2023年新增学位多少", k=5)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def percentile(values: list[float], q: float) -> float:
    from eval.metrics import percentile as interpolated

    return interpolated(values, q)


def cold_start_seconds(index_dir: Path) -> tuple[float, float]:
    """(wall time from process start to first retrieval, of which Python's import and load)."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", COLD_START],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "REPORTQA_INDEX_DIR": str(index_dir)},
    )
    total = time.perf_counter() - start
    return total, json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    from eval.golden import DEFAULT_GOLDEN, load_golden
    from rag.answering.answerer import Answerer
    from rag.models.embedder import load_embedder
    from rag.retrieval.retriever import Retriever
    from rag.settings import Settings
    from rag.store.index import Index

    settings = Settings.from_env()
    items = load_golden(DEFAULT_GOLDEN, settings.documents[0])
    questions = [i.question for i in items]

    load_start = time.perf_counter()
    load_embedder(settings.model, settings.model_cache, settings.runtime)
    model_load = time.perf_counter() - load_start

    with tempfile.TemporaryDirectory() as tmp:
        fresh = settings.with_(index_dir=Path(tmp) / "index")
        start = time.perf_counter()
        index = Index.open(fresh)
        ingest_seconds = time.perf_counter() - start
        start = time.perf_counter()
        index.ingest(list(settings.documents))
        reingest_seconds = time.perf_counter() - start
        chunks = len(index.chunks)
        cold_total, cold_inside = cold_start_seconds(fresh.index_dir)

        retriever = Retriever(index)
        answerer = Answerer(retriever)
        for question in questions[:10]:  # warm-up: first calls allocate and fill caches
            answerer.answer(question)
        retrieve_ms, answer_ms = [], []
        for question in questions:
            start = time.perf_counter()
            retriever.retrieve(question, k=5)
            retrieve_ms.append(1000 * (time.perf_counter() - start))
        for item in items:
            start = time.perf_counter()
            answerer.answer(item.question, history=list(item.history) or None)
            answer_ms.append(1000 * (time.perf_counter() - start))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("model load (in process)", f"{model_load:.1f} s"),
        (f"ingest of the report into a fresh index ({chunks} chunks, embed + Chroma + BM25)", f"{ingest_seconds:.1f} s"),
        ("re-ingest of the unchanged report (nothing to embed)", f"{reingest_seconds:.2f} s"),
        ("cold start: process start → first retrieval (existing index)", f"{cold_total:.1f} s"),
        (
            f"warm retrieve p50 / p95 over {len(questions)} golden questions",
            f"{percentile(retrieve_ms, 50):.1f} / {percentile(retrieve_ms, 95):.1f} ms",
        ),
        (
            f"warm answer() p50 / p95 over {len(items)} golden questions",
            f"{percentile(answer_ms, 50):.1f} / {percentile(answer_ms, 95):.1f} ms",
        ),
        ("peak memory (max RSS of this process)", f"{peak_mb:.0f} MB"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()

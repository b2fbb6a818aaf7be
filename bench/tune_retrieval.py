"""How the chunk size, the fusion and the year boost were chosen: retrieval metrics on the golden set.

    .venv/bin/python bench/tune_retrieval.py [chunks] [fusion] [boost]

Builds one throw-away index per chunk size (the report is embedded each time, ~30 s apiece) and
scores retrieval and answers on each, then sweeps the fusion settings on the configured size.
Prints Markdown tables. Bigger chunks contain the evidence more often by sheer length, so the
chunk size is judged by answer accuracy too: that is what a citizen reads.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.offline import go_offline  # noqa: E402

go_offline()

from eval.evaluation import run_answers, run_retrieval, summarize_answers, summarize_retrieval  # noqa: E402
from eval.golden import DEFAULT_GOLDEN, load_golden  # noqa: E402
from eval.markdown import format_table  # noqa: E402
from rag.answering.answerer import Answerer  # noqa: E402
from rag.retrieval.retriever import RetrievalConfig, Retriever  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.store.index import Index  # noqa: E402

CHUNK_SIZES = (40, 60, 80, 120, 200, 400)
COLUMNS = ["hit@1", "hit@3", "hit@5", "MRR", "nDCG@5", "context_precision"]
ANSWER_COLUMNS = ["answer_accuracy", "refusal_recall", "false_refusal_rate", "mean_chunk_chars"]


def measure(index: Index, config: RetrievalConfig, items) -> dict[str, float]:
    return summarize_retrieval(run_retrieval(items, "tune", Retriever(index, config).retrieve))


def measure_answers(index: Index, items) -> dict[str, float]:
    summary = summarize_answers(run_answers(items, "tune", Answerer(Retriever(index))))
    summary["mean_chunk_chars"] = sum(len(c.text) for c in index.chunks) / len(index.chunks)
    return summary


def main(parts: list[str]) -> None:
    settings = Settings.from_env()
    items = load_golden(DEFAULT_GOLDEN, settings.documents[0])
    default = RetrievalConfig()
    with tempfile.TemporaryDirectory() as tmp:
        if "chunks" in parts:
            retrieval, answers = {}, {}
            for size in CHUNK_SIZES:
                index = Index.open(settings.with_(index_dir=Path(tmp) / f"index-{size}", chunk_chars=size))
                name = f"{size} chars ({len(index.chunks)} chunks)"
                retrieval[name] = measure(index, default, items)
                answers[name] = measure_answers(index, items)
            print("## Chunk size: retrieval (hybrid, default fusion)\n")
            print(format_table(retrieval, COLUMNS))
            print("\n## Chunk size: answers\n")
            print(format_table(answers, ANSWER_COLUMNS))

        index = Index.open(settings)
        if "fusion" in parts:
            fusions = {}
            for weight in (0.3, 0.4, 0.5, 0.6, 0.7):
                fusions[f"weighted, dense weight {weight}"] = measure(index, replace(default, dense_weight=weight), items)
            fusions["reciprocal rank fusion (k=60)"] = measure(index, replace(default, fusion="rrf"), items)
            print(f"\n## Fusion ({settings.chunk_chars}-character chunks)\n")
            print(format_table(fusions, COLUMNS))
        if "boost" in parts:
            boosts = {}
            for boost in (0.0, 0.15, 0.3, 0.5, 1.0):
                boosts[f"year boost {boost}"] = measure(index, replace(default, year_boost=boost), items)
            boosts["no synonym expansion"] = measure(index, replace(default, expand_terms=False), items)
            print("\n## Year preference and synonym expansion\n")
            print(format_table(boosts, COLUMNS))


if __name__ == "__main__":
    main(sys.argv[1:] or ["chunks", "fusion", "boost"])

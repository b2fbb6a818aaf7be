"""The configurations compared side by side, all over one index and one loaded model.

- hybrid: ReportQA as shipped (dense and BM25 fused, year-aware);
- dense: the same retriever with BM25 switched off;
- bm25: the same retriever with the dense search switched off;
- llamaindex: the plain llama-index pipeline (eval/baseline.py).

Each is a retriever with the surface rag.answering.answerer.Answerer uses, so every configuration is scored
end to end: its own passages feed its own answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rag.store.index import Index

NAMES = ("hybrid", "dense", "bm25", "llamaindex")
# What `--degrade MODE` may swap in for the hybrid configuration's retrieval, to see the gate catch it.
DEGRADED_MODES = ("dense", "keyword")


class ConfigurationError(ValueError):
    """An unknown configuration name or degraded mode; the message lists the valid ones."""


@dataclass(frozen=True)
class Configuration:
    name: str
    retriever: object  # a rag.retrieval.retriever.Retriever, or eval.baseline.BaselineRetriever
    corpus: list[str]  # the text of every passage it can return: relevance is judged against these
    note: str = ""  # shown beside the name in reports, e.g. that the hybrid slot runs degraded


def parse_names(text: str) -> tuple[str, ...]:
    """ "hybrid, bm25" → ("hybrid", "bm25"); a ConfigurationError names an unknown one."""
    return checked_names(tuple(n.strip() for n in text.split(",") if n.strip()))


def checked_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names without repeats, or a ConfigurationError naming the unknown ones."""
    unknown = [n for n in names if n not in NAMES]
    if unknown or not names:
        raise ConfigurationError(
            f"unknown configuration {', '.join(map(repr, unknown)) or '(none given)'}: choose from {', '.join(NAMES)}"
        )
    return tuple(dict.fromkeys(names))


def build_configurations(
    index: Index, report_path: Path, names: tuple[str, ...], degrade: str | None = None
) -> dict[str, Configuration]:
    """The named configurations, in the order given. `degrade` runs the hybrid one in that retrieval mode."""
    # Imported here: the command line reads NAMES without loading Chroma, and rag.retrieval loads it.
    from rag.retrieval.retriever import RetrievalConfig, Retriever

    if degrade is not None and degrade not in DEGRADED_MODES:
        raise ConfigurationError(f"cannot degrade to {degrade!r}: choose from {', '.join(DEGRADED_MODES)}")
    chunk_texts = [c.text for c in index.chunks]
    made = {}
    for name in checked_names(names):
        if name == "hybrid" and degrade:
            retriever = Retriever(index, RetrievalConfig(mode=degrade))
            made[name] = Configuration(name, retriever, chunk_texts, note=f"degraded: {degrade} retrieval only")
        elif name == "hybrid":
            made[name] = Configuration(name, Retriever(index), chunk_texts)
        elif name == "dense":
            made[name] = Configuration(name, Retriever(index, RetrievalConfig(mode="dense")), chunk_texts)
        elif name == "bm25":
            made[name] = Configuration(name, Retriever(index, RetrievalConfig(mode="keyword")), chunk_texts)
        else:
            from eval.baseline import BaselineRetriever, LlamaIndexBaseline  # llama-index takes a while to import

            baseline = LlamaIndexBaseline(report_path, index.embedder)
            made[name] = Configuration(name, BaselineRetriever(baseline, index), baseline.chunk_texts)
    return made

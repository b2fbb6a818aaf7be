"""Hybrid retrieval: dense (Chroma) and BM25 ranks fused, with a preference for the year asked about."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.index import Index
from rag.query import Query, understand
from rag.settings import Settings
from rag.types import Passage
from rag.vocabulary import load_vocabulary

MAX_QUESTION_CHARS = 500
MAX_K = 50
CANDIDATES = 40  # from each retriever, before fusion
SEARCHABLE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


class QuestionError(ValueError):
    """A question that cannot be searched; the message says why, in Chinese and English."""


def check_question(question: object, k: object = 5) -> str:
    """The question, stripped, or a QuestionError that a citizen can read."""
    if not isinstance(question, str):
        raise QuestionError("问题必须是文字 / the question must be a string")
    question = question.strip()
    if not question:
        raise QuestionError("请输入问题 / the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"问题太长了（{len(question)}字），请控制在{MAX_QUESTION_CHARS}字以内 / "
            f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    if not SEARCHABLE.search(question):
        raise QuestionError("问题里没有可以检索的文字，请用中文提问 / the question has no words to search for")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QuestionError(f"k 必须是 1 到 {MAX_K} 之间的整数 / k must be an integer from 1 to {MAX_K}")
    return question


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """RRF (Cormack et al. 2009): score(d) = Σ 1 / (k + rank(d)), ranks from 1."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def min_max(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {key: (value - low) / span if span else 1.0 for key, value in scores.items()}


def max_normalize(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values(), default=0.0)
    return {key: value / top for key, value in scores.items()} if top > 0 else {key: 0.0 for key in scores}


def weighted_fusion(dense: dict[str, float], keyword: dict[str, float], dense_weight: float) -> dict[str, float]:
    """Convex combination of normalised scores; a retriever that missed a chunk gives it 0.

    Cosines crowd into a narrow band, so they are min-max scaled; BM25 scores are divided by the best
    one, because their zero means "no word in common" and the weakest match must stay above it.
    """
    dense, keyword = min_max(dense), max_normalize(keyword)
    return {
        key: dense_weight * dense.get(key, 0.0) + (1 - dense_weight) * keyword.get(key, 0.0)
        for key in dense.keys() | keyword.keys()
    }


@dataclass(frozen=True)
class RetrievalConfig:
    mode: str = "hybrid"  # "hybrid", "dense" or "keyword"
    fusion: str = "weighted"  # "weighted" or "rrf"
    dense_weight: float = 0.5
    year_boost: float = 0.5  # score multiplier bonus for chunks of the year asked about
    expand_terms: bool = True  # add the report's words for the citizen's words (data/synonyms.toml)


class Retriever:
    """The public retrieval API: `Retriever.load().retrieve("2022年新增了多少学位", k=5)`."""

    def __init__(self, index: Index, config: RetrievalConfig = RetrievalConfig()):
        self.index = index
        self.config = config
        self.vocabulary = load_vocabulary()

    @classmethod
    def load(cls, settings: Settings | None = None, config: RetrievalConfig = RetrievalConfig()) -> "Retriever":
        """The default index, built on first use."""
        return cls(Index.open(settings), config)

    def understand(self, question: str) -> Query:
        return understand(question, self.index.report_year, self.vocabulary)

    def retrieve(self, question: str, k: int = 5) -> list[Passage]:
        question = check_question(question, k)
        return self.retrieve_query(self.understand(question), k)

    def retrieve_query(self, query: Query, k: int = 5, only_year: int | None = None) -> list[Passage]:
        """Passages for an understood question; `only_year` keeps just the chunks of that year."""
        config = self.config
        text = query.search_text if config.expand_terms else query.question
        dense: dict[str, float] = {}
        keyword: dict[str, float] = {}
        if config.mode in ("hybrid", "dense"):
            vector = self.index.embedder.embed_queries([text])[0]
            dense = dict(self.index.store.nearest(vector, CANDIDATES))
        if config.mode in ("hybrid", "keyword"):
            keyword = self._top_keywords(text)
        if config.fusion == "rrf":
            fused = reciprocal_rank_fusion([sorted(dense, key=dense.get, reverse=True), sorted(keyword, key=keyword.get, reverse=True)])
        else:
            fused = weighted_fusion(dense, keyword, config.dense_weight if config.mode == "hybrid" else float(config.mode == "dense"))
        if query.year is not None and config.year_boost:
            fused = {i: s * (1 + config.year_boost) if self.index.by_id[i].year == query.year else s for i, s in fused.items()}
        if only_year is not None:
            fused = {i: s for i, s in fused.items() if self.index.by_id[i].year == only_year}
        best = sorted(fused, key=lambda i: (-fused[i], self.index.by_id[i].order))[:k]
        return [self._passage(i, fused[i], dense.get(i, 0.0), keyword.get(i, 0.0)) for i in best]

    def _top_keywords(self, text: str) -> dict[str, float]:
        scores = self.index.keywords.scores(text)
        ids = self.index.keywords.chunk_ids
        top = np.argsort(-scores)[:CANDIDATES]
        return {ids[i]: float(scores[i]) for i in top if scores[i] > 0}

    def _passage(self, chunk_id: str, score: float, dense: float, keyword: float) -> Passage:
        c = self.index.by_id[chunk_id]
        return Passage(c.chunk_id, c.text, c.context, c.section, c.page, c.year, round(score, 6), c.doc_id, dense, keyword)

    def as_llamaindex(self):
        """This retriever as a llama-index `BaseRetriever` returning `NodeWithScore`."""
        from rag.llamaindex_adapter import ReportQARetriever

        return ReportQARetriever(self)

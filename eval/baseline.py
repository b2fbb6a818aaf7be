"""The plain llama-index pipeline we must beat: default SentenceSplitter chunks of the raw text,
the same embedding model, an in-memory VectorStoreIndex, top-k by cosine."""

from __future__ import annotations

from pathlib import Path

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter

from ingest.load import read_report
from rag.models.embedder import Embedder
from rag.models.llamaindex import ReportQAEmbedding
from rag.retrieval.query import Query, understand
from rag.text.vocabulary import load_vocabulary
from rag.types import Passage


class LlamaIndexBaseline:
    def __init__(self, report_path: Path, embedder: Embedder):
        document = Document(text=read_report(report_path), metadata={"file": Path(report_path).name})
        nodes = SentenceSplitter().get_nodes_from_documents([document])
        # The model is handed over directly: llama-index's global Settings would reach for OpenAI.
        self._index = VectorStoreIndex(nodes, embed_model=ReportQAEmbedding(embedder), show_progress=False)
        self.chunk_texts = [node.get_content() for node in nodes]
        self.chunk_count = len(nodes)

    def retrieve(self, question: str, k: int = 5) -> list[Passage]:
        results = self._index.as_retriever(similarity_top_k=k).retrieve(question)
        # Raw chunks know neither section, page nor year: that is what the baseline lacks.
        return [
            Passage(r.node.node_id, r.node.get_content(), r.node.get_content(), "", 0, 0, float(r.score or 0.0)) for r in results
        ]


class BaselineRetriever:
    """The baseline behind the surface rag.answering.answerer.Answerer reads from a Retriever, so that its
    answers are scored end to end like ReportQA's own.

    Only the search is the baseline's: `index` and `vocabulary` are ReportQA's, because the Answerer
    also uses them to understand the question (its year, its words' weights), not to search.
    """

    def __init__(self, baseline: LlamaIndexBaseline, index):
        self.baseline = baseline
        self.index = index
        self.vocabulary = load_vocabulary()

    def understand(self, question: str) -> Query:
        return understand(question, self.index.report_year, self.vocabulary)

    def retrieve(self, question: str, k: int = 5) -> list[Passage]:
        return self.baseline.retrieve(question, k)

    def retrieve_query(self, query: Query, k: int = 5, only_year: int | None = None, surface_cues: bool = True) -> list[Passage]:
        # The plain pipeline searches the question as asked: no synonym expansion, no year or other preference.
        passages = self.baseline.retrieve(query.question, k)
        # Its passages carry year 0, so "only that year's passages" finds none, as it would in such an app.
        return passages if only_year is None else [p for p in passages if p.year == only_year]

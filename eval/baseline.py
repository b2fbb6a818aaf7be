"""The plain llama-index pipeline we must beat: default SentenceSplitter chunks of the raw text,
the same embedding model, an in-memory VectorStoreIndex, top-k by cosine."""

from __future__ import annotations

from pathlib import Path

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter

from ingest.load import read_report
from rag.embedding import Embedder, ReportQAEmbedding
from rag.types import Passage


class LlamaIndexBaseline:
    def __init__(self, report_path: Path, embedder: Embedder):
        document = Document(text=read_report(report_path), metadata={"file": Path(report_path).name})
        nodes = SentenceSplitter().get_nodes_from_documents([document])
        # The model is handed over directly: llama-index's global Settings would reach for OpenAI.
        self._index = VectorStoreIndex(nodes, embed_model=ReportQAEmbedding(embedder), show_progress=False)
        self.chunk_count = len(nodes)

    def retrieve(self, question: str, k: int = 5) -> list[Passage]:
        results = self._index.as_retriever(similarity_top_k=k).retrieve(question)
        # Raw chunks know neither section, page nor year: that is what the baseline lacks.
        return [
            Passage(r.node.node_id, r.node.get_content(), r.node.get_content(), "", 0, 0, float(r.score or 0.0))
            for r in results
        ]

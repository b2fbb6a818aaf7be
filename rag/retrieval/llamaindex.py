"""ReportQA's retriever behind llama-index's BaseRetriever interface, for apps built on llama-index."""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode


class ReportQARetriever(BaseRetriever):
    def __init__(self, retriever, k: int = 5):
        super().__init__()
        self._retriever = retriever
        self._k = k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        passages = self._retriever.retrieve(query_bundle.query_str, k=self._k)
        return [
            NodeWithScore(
                node=TextNode(
                    id_=p.chunk_id,
                    text=p.text,
                    metadata={"section": p.section, "page": p.page, "year": p.year, "context": p.context, "doc_id": p.doc_id},
                    # The parent paragraph is context for a reader, not for llama-index's own text splitting.
                    excluded_embed_metadata_keys=["context"],
                    excluded_llm_metadata_keys=["context"],
                ),
                score=p.score,
            )
            for p in passages
        ]

"""Hybrid retrieval: what a question asks for, dense and keyword ranks fused, the public Retriever."""

from rag.retrieval.retriever import RetrievalConfig, Retriever

__all__ = ["RetrievalConfig", "Retriever"]

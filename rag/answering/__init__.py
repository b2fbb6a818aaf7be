"""Grounded answers: quote the report's clauses, label their year, cite them, refuse when it is silent."""

from rag.answering.answerer import Answerer, default_answerer

__all__ = ["Answerer", "default_answerer"]

"""ReportQA: retrieval and grounded answers over a government work report.

    from rag import Retriever, answer
    passages = Retriever.load().retrieve("2022年新增了多少学位", k=5)
    a = answer("2023年新增学位多少")
"""

from rag.offline import go_offline

go_offline()

__all__ = ["Answer", "Passage", "QuestionError", "Retriever", "answer"]


def answer(question: str, history: list | None = None):
    """Answer a question from the report with cited passages (see rag/answer.py)."""
    from rag.answer import default_answerer

    return default_answerer().answer(question, history=history)


def __getattr__(name: str):
    # Imported on first use, so that light modules (settings, types) don't pull in torch and Chroma.
    if name in ("Retriever", "QuestionError"):
        from rag import retrieve

        return getattr(retrieve, name)
    if name in ("Answer", "Passage"):
        from rag import types

        return getattr(types, name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")

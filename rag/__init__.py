"""ReportQA: retrieval and grounded answers over a government work report.

    from rag import Retriever, answer
    passages = Retriever.load().retrieve("2022年新增了多少学位", k=5)
    a = answer("2023年新增学位多少")

The pipeline, one subpackage a step (each imports only the ones above it):

    text/       Chinese words: the domain vocabulary and the jieba tokenizer
    models/     the embedding model (e5-small rebuilt offline) and the Embedder
    store/      Chroma for vectors, bm25s for keywords, the Index that keeps both in step with the report
    retrieval/  what a question asks, hybrid ranking, the Retriever, its llama-index adapter
    answering/  grounded answers: quote, label the year, cite, refuse when the report is silent
"""

from rag.offline import go_offline

go_offline()

__all__ = ["Answer", "Passage", "QuestionError", "Retriever", "answer"]


def answer(question: str, history: list | None = None):
    """Answer a question from the report with cited passages (see rag/answering/)."""
    from rag.answering import default_answerer

    return default_answerer().answer(question, history=history)


def __getattr__(name: str):
    # Imported on first use, so that `import rag` stays light: no torch, Chroma, gradio or llama-index.
    if name == "Retriever":
        from rag.retrieval import Retriever

        return Retriever
    if name == "QuestionError":
        from rag.questions import QuestionError

        return QuestionError
    if name in ("Answer", "Passage"):
        from rag import types

        return getattr(types, name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")

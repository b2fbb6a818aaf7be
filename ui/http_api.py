"""The JSON API: POST /api/ask, POST /api/retrieve, GET /api/figures; GET /api/live and /api/ready (= /api/health).

Every failure answers {"error": "中文 / English", "code": "…"}: FastAPI's own validation format
({"detail": [...]}) is replaced, and the OpenAPI schema (ui/api_schema.py) documents exactly that.
The endpoints are plain `def` functions, so FastAPI runs them in its threadpool and a slow
answer does not hold up the other requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from eval.feedback import Citation, Feedback, FeedbackError, FeedbackStore, FeedbackStoreError
from rag.figures import STATUSES, FigureFilter, FigureFilterError, figure_records, filter_figures
from rag.questions import QuestionError
from ui.api_schema import (
    MAX_HISTORY,
    AskRequest,
    AskResponse,
    FeedbackRequest,
    FeedbackResponse,
    FiguresResponse,
    LiveResponse,
    ReadyResponse,
    RetrieveRequest,
    RetrieveResponse,
    errors,
)

log = logging.getLogger(__name__)


def error_response(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"error": message, "code": code}, status_code=status)


# Validation error types worded for people; anything else falls back to pydantic's message.
_REASONS = {
    "missing": "缺少字段 / missing field",
    "string_type": "应为文字 / must be a string",
    "int_type": "应为整数 / must be an integer",
    "int_parsing": "应为整数 / must be an integer",
    "list_type": "应为列表 / must be a list",
    "model_attributes_type": "应为JSON对象 / must be a JSON object",
    "dict_type": "应为JSON对象 / must be a JSON object",
    "literal_error": "只能是 user 或 assistant / must be 'user' or 'assistant'",
    "too_long": f"最多{MAX_HISTORY}条 / at most {MAX_HISTORY} items",
}


def describe_validation_error(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        if item["type"] == "json_invalid":
            return "请求不是有效的JSON / the request body is not valid JSON"
        where = ".".join(str(part) for part in item["loc"] if part != "body") or "请求体 / body"
        parts.append(f"{where}: {_REASONS.get(item['type'], item['msg'])}")
    return "请求格式不正确 / invalid request — " + "; ".join(parts)


async def on_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    is_json_error = any(item["type"] == "json_invalid" for item in error.errors())
    if is_json_error:
        return error_response(400, describe_validation_error(error), "invalid_json")
    return error_response(422, describe_validation_error(error), "invalid_request")


async def on_http_error(request: Request, error: HTTPException) -> JSONResponse:
    return error_response(error.status_code, str(error.detail), "not_found" if error.status_code == 404 else "invalid_request")


async def on_question_error(request: Request, error: QuestionError) -> JSONResponse:
    return error_response(422, str(error), "invalid_question")


async def on_figure_filter_error(request: Request, error: FigureFilterError) -> JSONResponse:
    return error_response(422, str(error), "invalid_filter")


async def on_feedback_error(request: Request, error: FeedbackError) -> JSONResponse:
    if isinstance(error, FeedbackStoreError):
        log.warning("feedback store unavailable: %s", error)
        return error_response(503, "反馈暂时无法保存，请稍后再试 / feedback cannot be stored right now", "feedback_unavailable")
    return error_response(422, str(error), "invalid_feedback")


async def on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error in %s", request.url.path, exc_info=error)
    return error_response(500, "服务器出错了，请稍后再试 / internal server error", "internal")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(QuestionError, on_question_error)
    app.add_exception_handler(FigureFilterError, on_figure_filter_error)
    app.add_exception_handler(FeedbackError, on_feedback_error)
    app.add_exception_handler(Exception, on_unexpected_error)


def api_router(answerer, feedback: Callable[[], FeedbackStore]) -> APIRouter:
    """The /api routes around one answerer (anything with `.answer()` and `.retriever`) and the feedback store."""
    router = APIRouter(prefix="/api")

    @router.post("/ask", response_model=AskResponse, responses=errors(400, 422, 500))
    def ask(request: AskRequest) -> dict:
        """Answer a question about the report, with the passages it cites."""
        history = [m.model_dump() for m in request.history] if request.history else None
        return answerer.answer(request.question, history=history).to_dict()

    @router.post("/retrieve", response_model=RetrieveResponse, responses=errors(400, 422, 500))
    def retrieve(request: RetrieveRequest) -> dict:
        """The k passages of the report that best match a question, best first."""
        passages = answerer.retriever.retrieve(request.question, k=request.k)
        return {"passages": [p.to_dict() for p in passages]}

    @router.post("/feedback", response_model=FeedbackResponse, status_code=201, responses=errors(400, 422, 503))
    def give_feedback(request: FeedbackRequest) -> dict:
        """A citizen's 👍 / 👎 on an answer (never the caller's address or any request data)."""
        record = Feedback(
            rating=request.rating,
            question=request.question,
            answer=request.answer,
            history=tuple(m.model_dump() for m in request.history),
            citations=tuple(Citation(**c.model_dump()) for c in request.citations),
            reason=request.reason,
            comment=request.comment,
        )
        return {"id": int(feedback().add(record))}

    @router.get("/figures", response_model=FiguresResponse, responses=errors(422, 500))
    def figures(
        year: int | None = None,
        status: str = Query("", description=f"one of {', '.join(STATUSES)}"),
        section: str = Query("", description="a section path prefix, e.g. 二、2023年主要工作安排"),
        search: str = Query("", description="words in the indicator or its sentence"),
    ) -> dict:
        """数字速览: every figure of the report (the same records as `reportqa figures --json`)."""
        selection = FigureFilter(year=year, status=status, section=section, query=search)
        found = filter_figures(figure_records(answerer.retriever.index.facts), selection)
        return {"count": len(found), "figures": [f.to_dict() for f in found]}

    @router.get("/live", response_model=LiveResponse)
    def live() -> dict:
        """Liveness: the process answers HTTP. A load balancer restarts a replica that stops saying so."""
        return {"status": "alive"}

    @router.get("/ready", response_model=ReadyResponse, responses=errors(503))
    @router.get("/health", response_model=ReadyResponse, responses=errors(503))
    def ready():
        """Readiness: the vector store answers too; 503 with the reason when it does not, so a load balancer
        stops sending citizens to this replica until it does."""
        index = answerer.retriever.index
        try:
            stored = index.store.count()
        except Exception as error:  # Chroma raises plain Exceptions for an unreachable server
            log.warning("readiness: the vector store is unreachable: %s", error)
            reason = " ".join(str(error).split())[:200]
            return error_response(503, f"向量库无法连接 / the vector store is unreachable: {reason}", "store_unreachable")
        if index.model_mismatch:  # answers still come, from keywords alone: an operator must fix the model setting
            return error_response(503, f"向量与本进程的模型不符 / {index.model_mismatch}", "model_mismatch")
        return {"status": "ok", "chunks": len(index.chunks), "stored": stored}

    # Without this, a wrong path or method under /api falls through to the Gradio app at "/"
    # and gets its {"detail": ...} 404 instead of our {"error": ...}.
    @router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown(path: str, request: Request) -> JSONResponse:
        return error_response(
            404,
            f"没有这个接口 / no such endpoint: {request.method} /api/{path} (POST /api/ask, POST /api/retrieve, POST /api/feedback, GET /api/figures, GET /api/live, GET /api/ready)",
            "not_found",
        )

    return router

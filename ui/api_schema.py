"""The shapes the JSON API takes and returns, as pydantic models: they validate requests and document
every response (and every error) in the OpenAPI schema that /docs shows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictInt, StrictStr

MAX_HISTORY = 100  # messages; a chat longer than this is not a citizen's follow-up any more


# --------------------------------------------------------------------------- requests


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: StrictStr


class AskRequest(BaseModel):
    question: StrictStr = Field(description="the question, 1-500 characters", examples=["2023年新增学位多少"])
    history: list[Message] | None = Field(default=None, max_length=MAX_HISTORY, description="earlier turns, oldest first")


class RetrieveRequest(BaseModel):
    question: StrictStr = Field(examples=["去年GDP多少"])
    k: StrictInt | None = Field(default=None, description="how many passages, 1-50 (default: REPORTQA_TOP_K)")


class CitationIn(BaseModel):
    chunk_id: StrictStr
    text: StrictStr
    section: StrictStr = ""
    page: StrictInt = 0
    year: StrictInt = 0


class FeedbackRequest(BaseModel):
    rating: Literal["up", "down"]
    question: StrictStr
    answer: StrictStr = Field(description="the answer's text as shown")
    history: list[Message] = Field(default_factory=list, max_length=MAX_HISTORY, description="the turns before the question")
    citations: list[CitationIn] = Field(default_factory=list, max_length=50)
    reason: Literal["wrong_answer", "wrong_year", "not_answered", "other"] | None = Field(
        default=None, description="with a 👎: 答案错误 / 年份不对 / 没回答我的问题 / 其他"
    )
    comment: StrictStr = Field(default="", description="with a 👎: free text, up to 500 characters")


# --------------------------------------------------------------------------- responses


class PassageOut(BaseModel):
    chunk_id: str
    text: str = Field(description="the passage: one or a few sentences of the report")
    context: str = Field(description="the whole paragraph it stands in")
    section: str = Field(description='section path, parts joined by " > "')
    page: int
    year: int = Field(description="2022 for the review of the year, 2023 for its plans")
    score: float
    doc_id: str
    dense_score: float
    keyword_score: float
    degraded: bool = Field(description="ranked by keywords alone: the vector store could not be reached")


class CitationOut(PassageOut):
    highlight: str = Field(description="the clause of the passage that supports the answer")


class AskResponse(BaseModel):
    question: str
    text: str = Field(description="the answer; [n] markers point into citations (1-based)")
    refused: bool = Field(description="true when the report does not answer (报告未提及)")
    year: int | None
    reason: str | None = Field(description="why the report does not (fully) answer; null for a full answer")
    partial: bool
    degraded: bool = Field(
        description="answered from the keyword index alone: the vector store is unreachable, or another model wrote its vectors"
    )
    citations: list[CitationOut]


class RetrieveResponse(BaseModel):
    passages: list[PassageOut]


class FigureOut(BaseModel):
    indicator: str
    value: str
    unit: str
    text: str = Field(description="value, unit and qualifier exactly as written")
    qualifier: str
    kind: str
    year: int
    status: Literal["achieved", "estimate", "target"]
    section: str
    page: int
    source: str = Field(description="the whole sentence")
    chunk_id: str
    pair_key: str


class FiguresResponse(BaseModel):
    count: int
    figures: list[FigureOut]


class ReadyResponse(BaseModel):
    status: Literal["ok"]
    chunks: int = Field(description="chunks this replica searches")
    stored: int = Field(description="chunks the vector store holds")


class LiveResponse(BaseModel):
    status: Literal["alive"]


class FeedbackResponse(BaseModel):
    id: int = Field(description="the stored feedback's number")


class ErrorResponse(BaseModel):
    error: str = Field(description="what went wrong, 中文 / English")
    code: Literal[
        "invalid_json",
        "invalid_request",
        "invalid_question",
        "invalid_filter",
        "invalid_feedback",
        "not_found",
        "store_unreachable",
        "model_mismatch",
        "feedback_unavailable",
        "internal",
    ] = Field(description="the same, for programs")


def errors(*statuses: int) -> dict:
    """The `responses=` of a route: its error statuses, each with the one error shape."""
    return {status: {"model": ErrorResponse} for status in statuses}

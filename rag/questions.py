"""What a question must be before it is searched: text, not too long, something to search for."""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 500
MAX_K = 50
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

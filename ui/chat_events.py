"""What the chat page does on the server: answer a question, offer follow-ups, keep a citizen's 👍 / 👎.

Three gr.State values travel with a session: `history` (the plain question/answer turns the answerer reads
for follow-ups), `turns` (one `Turn` per answer shown, numbered as ui/render.py numbers the answers in the
chat, so a 👍 on answer n finds its Answer) and `latest` (the turn at the bottom of the chat, or None when an
error message is, so follow-ups are offered for that answer only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from eval.feedback import REASONS, Feedback, FeedbackError, FeedbackStore
from rag.answering.suggest import DEFAULT_SUGGESTION_POLICY, suggest_questions
from rag.questions import MAX_QUESTION_CHARS, QuestionError
from rag.types import Answer
from ui.render import REPORT_YEAR, answer_html, error_html, pending_html, question_html

log = logging.getLogger(__name__)

EMPTY_HINT = "请先输入问题，或点击下面的示例问题。"
APOLOGY = "抱歉，系统出错了，请稍后再试。"
THANKS_UP = "谢谢！已记录这条回答有帮助。"
THANKS_DOWN = "谢谢反馈！工作人员会查看并改进回答。"
FEEDBACK_DOWN = "反馈暂时无法保存，请稍后再试。"
TOAST_TITLE = "提示"  # Gradio's default toast titles are English ("Info", "Warning")
SUGGESTIONS = DEFAULT_SUGGESTION_POLICY.shown
# 👎 reasons as the radio shows them (label, code); "no reason" is a choice too, the reason is optional.
REASON_CHOICES = [(label, code) for code, label in REASONS.items()]


def too_long_hint(length: int) -> str:
    return f"问题太长了（{length}/{MAX_QUESTION_CHARS}字），请删减后再发送。"


@dataclass(frozen=True)
class Turn:
    """One answer shown in the chat, with the history it was asked with (what a 👍 / 👎 stores)."""

    answer: Answer
    history: tuple[dict, ...]


def _message(role: str, html: str) -> dict:
    return {"role": role, "content": html}


def hidden_suggestions() -> list:
    return [gr.Button(visible=False) for _ in range(SUGGESTIONS)]


def chat_responder(answerer, report_year: int = REPORT_YEAR):
    """The submit handler. Outputs: box, chat, history, turns, latest, hint, then the suggestion buttons.

    An empty question adds nothing to the chat, a too long one stays in the box: both only say so beside it.
    Otherwise the question shows at once, then the answer replaces the placeholder."""
    keep = [gr.skip()] * (5 + SUGGESTIONS)  # everything but the hint stays as it is

    def shown(chat: list[dict], history: list[dict], turns: list[Turn], latest: int | None = None) -> list:
        """The box emptied, the chat as it now is, no hint, and no follow-ups until the answer's are ready."""
        return ["", chat, history, turns, latest, ""] + hidden_suggestions()

    def respond(question: str, chat: list[dict], history: list[dict], turns: list[Turn]):
        question = question or ""
        if not question.strip():
            yield keep[:5] + [EMPTY_HINT] + keep[5:]
            return
        if len(question.strip()) > MAX_QUESTION_CHARS:
            yield keep[:5] + [too_long_hint(len(question.strip()))] + keep[5:]
            return
        chat = chat + [_message("user", question_html(question)), _message("assistant", pending_html())]
        yield shown(chat, history, turns)
        try:
            answer = answerer.answer(question, history=history or None)
        except QuestionError as error:
            yield shown(chat[:-1] + [_message("assistant", error_html(str(error)))], history, turns)
            return
        except Exception:  # the citizen gets an apology, the log gets the traceback
            log.exception("answering %r failed", question)
            yield shown(chat[:-1] + [_message("assistant", error_html(APOLOGY))], history, turns)
            return
        number = len(turns)
        chat = chat[:-1] + [_message("assistant", answer_html(answer, report_year, turn=number))]
        turns = turns + [Turn(answer, tuple(history))]
        history = history + [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
        yield shown(chat, history, turns, number)

    return respond


def suggester(answerer):
    """After an answer is shown: the follow-up buttons for it (each question checked to be answered)."""

    def suggest(latest: int | None, turns: list[Turn], history: list[dict]):
        questions = []
        if latest is not None and latest < len(turns):
            try:
                ask = lambda question, past: answerer.answer(question, history=past or None)  # noqa: E731
                questions = suggest_questions(turns[latest].answer, answerer.retriever.index.facts, ask, history)
            except Exception:  # follow-ups are a convenience: the answer is already shown
                log.exception("suggesting follow-ups failed")
        buttons = [gr.Button(value=q, visible=True) for q in questions]
        return buttons + hidden_suggestions()[len(questions) :]

    return suggest


def feedback_handlers(open_store: Callable[[], FeedbackStore]):
    """`rate(action, turns)` for a click on 👍 / 👎 (the page sends "up 3" or "down 3"), and
    `send_down(turn, reason, comment, turns)` when the 👎 form is sent. Both return the form's updates."""

    def store(feedback: Feedback) -> bool:
        try:
            open_store().add(feedback)
            return True
        except FeedbackError:
            log.exception("storing feedback failed")
            gr.Warning(FEEDBACK_DOWN, title=TOAST_TITLE)
            return False

    def rate(action: str, turns: list[Turn]):
        rating, _, number = (action or "").partition(" ")
        if not number.isdigit() or int(number) >= len(turns) or rating not in ("up", "down"):
            return None, gr.Group(visible=False), None, ""
        turn = turns[int(number)]
        if rating == "down":  # ask why first; it is stored when the form is sent
            return int(number), gr.Group(visible=True), None, ""
        if store(Feedback.from_answer(turn.answer, "up", history=turn.history)):
            gr.Info(THANKS_UP, title=TOAST_TITLE)
        return None, gr.Group(visible=False), None, ""

    def send_down(number: int | None, reason: str | None, comment: str, turns: list[Turn]):
        if number is not None and number < len(turns):
            turn = turns[number]
            feedback = Feedback.from_answer(turn.answer, "down", history=turn.history, reason=reason, comment=comment or "")
            if store(feedback):
                gr.Info(THANKS_DOWN, title=TOAST_TITLE)
        return None, gr.Group(visible=False), None, ""

    return rate, send_down

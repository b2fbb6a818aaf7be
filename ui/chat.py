"""The Gradio chat page, in Chinese, for citizens who get no instructions.

Two kinds of history are kept: the Chatbot shows HTML built by ui/render.py (escaped
question, answer, citation cards), while a gr.State keeps the plain question/answer text
that the answerer reads for follow-up questions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from rag.figures import figure_records
from rag.questions import QuestionError
from ui.eval_tab import build_eval_tab
from ui.figures_tab import build_figures_tab
from ui.render import REPORT_YEAR, answer_html, error_html, pending_html, question_html

log = logging.getLogger(__name__)

TITLE = "历城区2023年政府工作报告 智能问答"
# On a phone the heading wraps; let it wrap between the two halves, not inside "智能问答".
HEADING = "历城区2023年政府工作报告 <span class='rqa-nowrap'>智能问答</span>"
HINT = "用一句话提问，回答只依据报告原文，并标出出处；点开引用卡片可看整段原文。"
EXAMPLES = [
    "2023年新增学位多少",
    "去年GDP多少",
    "今年城镇就业目标是多少",
    "2022年新建了多少5G基站",
    "历城区有多少人口",
]
CSS = (Path(__file__).with_name("chat.css")).read_text(encoding="utf-8")
# Fonts the machine has: nothing is fetched from a font CDN, and Chinese never falls back to boxes.
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
THEME = gr.themes.Soft(font=FONTS, font_mono=["WenQuanYi Micro Hei Mono", "monospace"])


def _message(role: str, html: str) -> dict:
    return {"role": role, "content": html}


def chat_responder(answerer, report_year: int = REPORT_YEAR):
    """The chat's submit handler: show the question at once, then replace the placeholder with the answer."""

    def respond(question: str, chat: list[dict], history: list[dict]):
        question = question or ""
        if question.strip():
            chat = chat + [_message("user", question_html(question))]
        chat = chat + [_message("assistant", pending_html())]
        yield "", chat, history
        try:
            answer = answerer.answer(question, history=history or None)
        except QuestionError as error:
            chat[-1] = _message("assistant", error_html(str(error)))
            yield "", chat, history
            return
        except Exception:  # the citizen gets an apology, the log gets the traceback
            log.exception("answering %r failed", question)
            chat[-1] = _message("assistant", error_html("抱歉，系统出错了，请稍后再试。"))
            yield "", chat, history
            return
        chat[-1] = _message("assistant", answer_html(answer, report_year))
        history = history + [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
        yield "", chat, history

    return respond


def api_functions(answerer):
    """The two functions published for gradio_client as /ask and /retrieve."""

    def ask(question: str, history: list[dict] | None = None) -> dict:
        """Answer a question about the report; the text's [n] markers point into `citations`."""
        try:
            return answerer.answer(question, history=history or None).to_dict()
        except QuestionError as error:
            raise gr.Error(str(error)) from error

    def retrieve(question: str, k: int | None = None) -> list[dict]:
        """The k passages of the report that best match the question (default: REPORTQA_TOP_K)."""
        try:
            return [p.to_dict() for p in answerer.retriever.retrieve(question, k=k)]
        except QuestionError as error:
            raise gr.Error(str(error)) from error

    return ask, retrieve


def build_blocks(answerer, report_year: int = REPORT_YEAR, eval_tab: bool = True) -> gr.Blocks:
    respond = chat_responder(answerer, report_year)
    with gr.Blocks(title=TITLE, fill_width=False) as blocks:
        gr.HTML(f'<div class="rqa-header"><h1>{HEADING}</h1><p>{HINT}</p></div>')
        with gr.Tab("问答", elem_id="rqa-tab-chat"):
            chat = gr.Chatbot(
                show_label=False,
                elem_id="rqa-chat",
                height="62vh",
                min_height=320,
                # Messages are HTML from ui/render.py with every outside string escaped; keep
                # sanitising anyway, and turn off LaTeX and custom tags so "$$" or "<x>" stay text.
                sanitize_html=True,
                latex_delimiters=[],
                allow_tags=False,
                buttons=[],
                feedback_options=None,
                placeholder="<div class='rqa-empty'>请在下方输入问题，或点击示例问题。</div>",
            )
            history = gr.State([])
            with gr.Row(equal_height=True, elem_id="rqa-input-row"):
                question = gr.Textbox(
                    show_label=False,
                    placeholder="例如：2023年新增学位多少",
                    max_lines=4,
                    scale=5,
                    min_width=180,
                    elem_id="rqa-question",
                    autofocus=True,
                )
                send = gr.Button("提问", variant="primary", scale=1, min_width=72, elem_id="rqa-send")
            with gr.Row(elem_id="rqa-examples"):
                gr.HTML('<span class="rqa-examples-label">示例问题：</span>')
                example_buttons = [gr.Button(text, size="sm", variant="secondary", min_width=0, scale=0) for text in EXAMPLES]
            clear = gr.Button("清空对话", size="sm", variant="secondary", elem_id="rqa-clear")

            # The chat handlers serve the page only; gradio_client users get /ask and /retrieve below.
            chat_io = dict(outputs=[question, chat, history], api_visibility="private", show_progress="hidden")
            question.submit(respond, [question, chat, history], **chat_io)
            send.click(respond, [question, chat, history], **chat_io)
            for button in example_buttons:  # a button's value is its label: the example question
                button.click(respond, [button, chat, history], **chat_io)
            clear.click(lambda: ("", [], []), None, [question, chat, history], api_visibility="private", queue=False)
            # The Chatbot's own trash icon empties the display; forget the follow-up context with it.
            chat.clear(lambda: [], None, history, api_visibility="private", queue=False)

        with gr.Tab("数字速览", elem_id="rqa-tab-figures"):  # every figure of the report (ui/figures_tab.py)
            build_figures_tab(figure_records(answerer.retriever.index.facts))

        if eval_tab:
            with gr.Tab("评测", elem_id="rqa-tab-eval"):  # for staff: run a golden set (ui/eval_tab.py)
                build_eval_tab(lambda: answerer.retriever.index)

        ask, retrieve = api_functions(answerer)
        gr.api(ask, api_name="ask")
        gr.api(retrieve, api_name="retrieve")
    return blocks

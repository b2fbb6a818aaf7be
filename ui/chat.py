"""The Gradio chat page, in Chinese, for citizens who get no instructions.

The Chatbot shows HTML built by ui/render.py (escaped question, answer, citation cards, the copy and
👍 / 👎 buttons); the server side of each event is in ui/chat_events.py, the browser side in ui/chat.js.
Under the latest answer, follow-up questions the report answers (rag/answering/suggest.py) are offered
once the answer is shown.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from eval.feedback import shared_feedback_store
from eval.feedback.records import LIMITS
from rag.figures import figure_records
from rag.questions import QuestionError
from rag.settings import Settings
from ui.chat_events import REASON_CHOICES, SUGGESTIONS, chat_responder, feedback_handlers, hidden_suggestions, suggester
from ui.figures_tab import build_figures_tab
from ui.render import REPORT_YEAR
from ui.staff import build_staff_tabs

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
# Scrolling to a new answer, [n] → its card, copy, 👍 / 👎, the character counter: run once when the page loads.
CHAT_JS = (Path(__file__).with_name("chat.js")).read_text(encoding="utf-8")
FEEDBACK_COMMENT_CHARS = LIMITS.comment_chars
# Fonts the machine has: nothing is fetched from a font CDN, and Chinese never falls back to boxes.
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
THEME = gr.themes.Soft(font=FONTS, font_mono=["WenQuanYi Micro Hei Mono", "monospace"])


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


def build_blocks(answerer, settings: Settings | None = None, report_year: int = REPORT_YEAR) -> gr.Blocks:
    """The page: the chat, 数字速览, and the staff tabs (shown only to a session opened with the staff token)."""
    settings = settings or Settings()
    respond, suggest = chat_responder(answerer, report_year), suggester(answerer)
    # Opened on the first 👍 / 👎: a PostgreSQL server that is down must not stop the chat.
    rate, send_down = feedback_handlers(lambda: shared_feedback_store(settings.feedback_url, settings.index_dir))
    private = dict(api_visibility="private", show_progress="hidden")
    with gr.Blocks(title=TITLE, fill_width=False) as blocks:
        gr.HTML(f'<div class="rqa-header"><h1>{HEADING}</h1><p>{HINT}</p></div>')
        with gr.Tabs():
            with gr.Tab("问答", elem_id="rqa-tab-chat"):
                chat = gr.Chatbot(
                    show_label=False,
                    elem_id="rqa-chat",
                    # The chat grows with its messages and the page scrolls: no scroll box inside the page.
                    height="auto",
                    autoscroll=False,  # ui/chat.js brings the top of a new answer into view instead
                    # Messages are HTML from ui/render.py with every outside string escaped; keep
                    # sanitising anyway, and turn off LaTeX and custom tags so "$$" or "<x>" stay text.
                    sanitize_html=True,
                    latex_delimiters=[],
                    allow_tags=False,
                    buttons=[],
                    feedback_options=None,
                    placeholder="<div class='rqa-empty'>请在下方输入问题，或点击示例问题。</div>",
                )
                history, turns, latest = gr.State([]), gr.State([]), gr.State(None)
                with gr.Row(elem_id="rqa-suggestions"):
                    suggestions = [
                        gr.Button(
                            visible=False, size="sm", variant="secondary", min_width=0, scale=0, elem_classes=["rqa-suggestion"]
                        )
                        for _ in range(SUGGESTIONS)
                    ]
                down_turn = gr.State(None)
                with gr.Group(visible=False, elem_id="rqa-down-form") as down_form:
                    reason = gr.Radio(REASON_CHOICES, label="哪里不对？（可不选）", elem_id="rqa-down-reason")
                    comment = gr.Textbox(label="补充说明（可不填）", max_lines=3, max_length=FEEDBACK_COMMENT_CHARS)
                    with gr.Row():
                        send_reason = gr.Button("提交反馈", variant="primary", size="sm", elem_id="rqa-down-send")
                        cancel_reason = gr.Button("取消", size="sm", elem_id="rqa-down-cancel")
                with gr.Row(elem_id="rqa-examples"):
                    gr.HTML('<span class="rqa-examples-label">示例问题：</span>')
                    example_buttons = [gr.Button(text, size="sm", variant="secondary", min_width=0, scale=0) for text in EXAMPLES]
                with gr.Column(elem_id="rqa-composer"):
                    with gr.Row(equal_height=True, elem_id="rqa-input-row"):
                        question = gr.Textbox(
                            show_label=False,
                            label="输入问题",
                            placeholder="例如：2023年新增学位多少",
                            max_lines=4,
                            scale=5,
                            min_width=180,
                            elem_id="rqa-question",
                            autofocus=True,
                        )
                        send = gr.Button("提问", variant="primary", scale=1, min_width=72, elem_id="rqa-send")
                    with gr.Row(elem_id="rqa-status-row"):
                        hint = gr.HTML("", elem_id="rqa-hint")
                        gr.HTML('<span id="rqa-count" aria-live="polite"></span>', elem_id="rqa-counter")
                        clear = gr.Button("清空对话", size="sm", variant="secondary", scale=0, min_width=0, elem_id="rqa-clear")
                # The page's 👍 / 👎 clicks arrive here (ui/chat.js writes "up 3" and presses the button).
                action = gr.Textbox(elem_id="rqa-action", elem_classes=["rqa-bridge"], show_label=False, container=False)
                act = gr.Button("feedback", elem_id="rqa-action-go", elem_classes=["rqa-bridge"])

            # The chat handlers serve the page only; gradio_client users get /ask and /retrieve below.
            chat_in = [chat, history, turns]
            chat_out = [question, chat, history, turns, latest, hint, *suggestions]
            follow = dict(fn=suggest, inputs=[latest, turns, history], outputs=suggestions, **private)
            for trigger, source in [(question.submit, question), (send.click, question)] + [
                (b.click, b)
                for b in example_buttons + suggestions  # a button's value is its label: the question
            ]:
                trigger(respond, [source, *chat_in], chat_out, **private).then(**follow)
            cleared = lambda: ("", [], [], [], None, "", *hidden_suggestions(), None, gr.Group(visible=False))  # noqa: E731
            clear.click(cleared, None, [*chat_out, down_turn, down_form], queue=False, **private)
            form = [down_turn, down_form, reason, comment]
            act.click(rate, [action, turns], form, **private)  # queued: its thanks is a toast, sent by the queue
            send_reason.click(send_down, [down_turn, reason, comment, turns], form, **private)
            cancel_reason.click(lambda: (None, gr.Group(visible=False), None, ""), None, form, queue=False, **private)

            with gr.Tab("数字速览", elem_id="rqa-tab-figures"):  # every figure of the report (ui/figures_tab.py)
                build_figures_tab(figure_records(answerer.retriever.index.facts))
            reveal = build_staff_tabs(answerer, settings)  # 评测 and 反馈, hidden from citizens (ui/staff.py)

        ask, retrieve = api_functions(answerer)
        gr.api(ask, api_name="ask")
        gr.api(retrieve, api_name="retrieve")
        blocks.load(None, js=CHAT_JS)
        reveal(blocks)
    return blocks

"""The staff view: the 评测 and 反馈 tabs, shown only to a session that opened the page with the staff token.

A citizen sees the chat and 数字速览. Staff open http://host:port/?staff=<REPORTQA_STAFF_TOKEN>; the page then
shows the two staff tabs, and every staff handler checks the session's flag on the server (a flag kept in
gr.State, which the browser cannot set), so a hidden tab's events are refused to anyone else. Without a
token configured the staff tabs never show.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

import gradio as gr

from eval.feedback import shared_feedback_store
from rag.settings import Settings
from ui.eval_tab import build_eval_tab
from ui.feedback_tab import build_feedback_tab

STAFF_PARAMETER = "staff"


def token_matches(given: str, token: str) -> bool:
    """A configured token, given exactly (compared in constant time)."""
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def is_staff(flag: bool) -> bool:
    return flag is True


def build_staff_tabs(answerer, settings: Settings) -> Callable[[gr.Blocks], None]:
    """The staff tabs, hidden; call inside the page's `gr.Tabs`. Returns `reveal(blocks)`, which shows them on
    page load to a session whose address carries the token."""
    staff = gr.State(False)
    with gr.Tab("评测", visible=False, elem_id="rqa-tab-eval") as eval_tab:
        build_eval_tab(lambda: answerer.retriever.index, staff, allowed=is_staff)
    with gr.Tab("反馈", visible=False, elem_id="rqa-tab-feedback") as feedback_tab:
        build_feedback_tab(lambda: shared_feedback_store(settings.feedback_url, settings.index_dir), staff, allowed=is_staff)

    def on_load(request: gr.Request):
        allowed = token_matches(request.query_params.get(STAFF_PARAMETER, ""), settings.staff_token)
        return allowed, gr.Tab(visible=allowed), gr.Tab(visible=allowed)

    def reveal(blocks: gr.Blocks) -> None:
        blocks.load(on_load, None, [staff, eval_tab, feedback_tab], api_visibility="private", queue=False)

    return reveal

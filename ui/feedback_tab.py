"""The "反馈" tab of the staff view: citizens' 👎 answers, reviewed by staff and exported as golden-set lines.

Staff pick a 👎, read the question, the chat before it, the answer and its citations, write the correct
answer with the report's own words as evidence, and save. "导出为评测集" writes every reviewed 👎 as a golden
file that `reportqa eval --golden` accepts (eval/feedback checks each line with the golden checker).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

import gradio as gr

from eval.feedback import REASONS, FeedbackError, FeedbackStore, Review, StoredFeedback, write_golden
from eval.golden import TYPES

STATUSES = {"待复核": "unreviewed", "已复核": "reviewed", "全部": "all"}
NO_YEAR = "无（无答案或跨年份）"
REFUSED = "仅限工作人员使用：请用带 staff 口令的链接打开本页。"


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def counts_text(store: FeedbackStore) -> str:
    counts = store.counts()
    return f"👍 {counts.up}　👎 {counts.down}　待复核 {counts.unreviewed}"


def item_label(item: StoredFeedback) -> str:
    question = item.feedback.question if len(item.feedback.question) <= 30 else item.feedback.question[:30] + "…"
    mark = "✓" if item.review else "·"
    return f"{mark} #{item.id} {item.created_at:%m-%d %H:%M} {question}"


def item_markdown(item: StoredFeedback) -> str:
    """One 👎 in full, every citizen's string escaped (it is shown as Markdown)."""
    feedback = item.feedback
    reason = REASONS.get(feedback.reason or "", "未选择")
    lines = [f"**问题**：{escape(feedback.question)}", "", f"**原因**：{reason}　{escape(feedback.comment)}", ""]
    if feedback.history:
        lines += ["**之前的对话**："] + [f"- {m['role']}: {escape(m['content'])}" for m in feedback.history] + [""]
    lines += [f"**系统的回答**：{escape(feedback.answer)}", ""]
    lines += [f"- [{n}] 第{c.page}页 {escape(c.section)}：{escape(c.text)}" for n, c in enumerate(feedback.citations, 1)]
    return "\n".join(lines)


def feedback_handlers(open_store: Callable[[], FeedbackStore], allowed: Callable[[bool], bool]):
    """The tab's functions, each refusing a session that did not open the page with the staff token."""

    def check(staff: bool) -> FeedbackStore:
        if not allowed(staff):
            raise gr.Error(REFUSED)
        return open_store()

    def listing(status: str, staff: bool):
        store = check(staff)
        items = store.for_review(STATUSES.get(status, "unreviewed"), limit=200)
        choices = [(item_label(item), item.id) for item in items]
        return counts_text(store), gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)

    def show(item_id, staff: bool):
        store = check(staff)
        if item_id is None:
            return "还没有需要复核的反馈。", "", "", "", "number", NO_YEAR, ""
        item = store.get(item_id)
        review = item.review
        if review is None:
            return item_markdown(item), "", "", "", "number", NO_YEAR, ""
        year = str(review.year) if review.year else NO_YEAR
        return (
            item_markdown(item),
            review.answer,
            "\n".join(review.must_include),
            "\n".join(review.evidence),
            review.type,
            year,
            review.section,
        )

    def save(item_id, answer, must_include, evidence, kind, year, section, staff: bool):
        store = check(staff)
        if item_id is None:
            raise gr.Error("请先在左侧选择一条反馈。")
        review = Review(answer, _lines(must_include), _lines(evidence), kind, None if year == NO_YEAR else int(year), section)
        try:
            store.save_review(item_id, review)
        except FeedbackError as error:
            raise gr.Error(str(error)) from None
        gr.Info(f"已保存 #{item_id} 的复核。")
        return counts_text(store)

    def export(staff: bool):
        store = check(staff)
        try:
            lines = store.export_golden()
        except FeedbackError as error:
            raise gr.Error(str(error)) from None
        path = Path(tempfile.mkdtemp(prefix="reportqa-feedback-")) / "feedback_golden.jsonl"
        write_golden(lines, path)
        return str(path)

    return listing, show, save, export


def build_feedback_tab(open_store: Callable[[], FeedbackStore], staff: gr.State, allowed: Callable[[bool], bool]) -> None:
    """The tab's components and events; call inside `with gr.Tab(...)`. `staff` is the session's staff flag."""
    listing, show, save, export = feedback_handlers(open_store, allowed)
    private = dict(api_visibility="private")
    gr.Markdown(
        "市民点了 👎 的回答：写出正确答案，并从报告原文复制证据，保存后可导出为评测集（与 `reportqa feedback export` 相同）。"
    )
    counts = gr.Markdown("")
    with gr.Row():
        with gr.Column(scale=2):
            status = gr.Radio(list(STATUSES), value="待复核", label="显示")
            items = gr.Dropdown(choices=[], label="反馈", interactive=True)
            refresh = gr.Button("刷新", size="sm")
        with gr.Column(scale=3):
            details = gr.Markdown("")
            answer = gr.Textbox(label="正确答案", lines=2)
            must_include = gr.Textbox(label="答案必须包含（每行一项，照抄报告写法，如 1.7万个）", lines=2)
            evidence = gr.Textbox(label="证据原文（每行一段，从报告逐字复制；无答案题留空）", lines=3)
            with gr.Row():
                kind = gr.Dropdown(list(TYPES), value="number", label="题型")
                year = gr.Dropdown([NO_YEAR, "2022", "2023"], value=NO_YEAR, label="年份")
            section = gr.Textbox(label="章节（可不填）")
            save_button = gr.Button("保存复核", variant="primary")
    export_button = gr.Button("导出为评测集（JSONL）")
    exported = gr.File(label="评测集文件", interactive=False)

    for trigger in (status.change, refresh.click):
        trigger(listing, [status, staff], [counts, items], **private)
    items.change(show, [items, staff], [details, answer, must_include, evidence, kind, year, section], **private)
    save_button.click(save, [items, answer, must_include, evidence, kind, year, section, staff], counts, **private)
    export_button.click(export, staff, exported, **private)

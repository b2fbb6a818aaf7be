"""HTML for the chat: questions, answers with [n] markers, and the cited passages as cards.

Everything that came from a person or from the report goes through `html.escape` here, so
the chat shows it as text: a question like `<img src=x onerror=…>` never becomes markup.
The HTML is one line with no blank lines on purpose: the Chatbot parses messages as
Markdown, and a single block-level HTML element on one line is passed through untouched
(a blank line would end the HTML block and let Markdown loose on the rest).
"""

from __future__ import annotations

import re
from html import escape

from rag.types import Answer, Passage

# The report is the 2023 one: its own year is the plan, earlier years are results.
REPORT_YEAR = 2023
REFUSAL_LABEL = "报告未提及"
CLAUSE_SEPARATOR = "｜"
MARKER = re.compile(r"\[(\d+)\]")


def text_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def question_html(question: str) -> str:
    """A person's message, shown exactly as typed."""
    return f'<div class="rqa-question">{text_html(question)}</div>'


def chinese_part(message: str) -> str:
    """The Chinese half of a bilingual "中文 / English" message (rag.QuestionError's): the chat speaks Chinese only."""
    return message.split(" / ")[0].strip()


def error_html(message: str) -> str:
    """Why a question could not be answered (a QuestionError's message, or a generic apology), in Chinese."""
    return f'<div class="rqa-error">⚠️ {text_html(chinese_part(message))}</div>'


def pending_html() -> str:
    return '<div class="rqa-pending">正在查找报告原文…</div>'


def year_badge(year: int, report_year: int = REPORT_YEAR) -> str:
    """'2022 成绩' for what was done, '2023 计划' for what is planned, in different colours."""
    if year < report_year:
        return f'<span class="rqa-badge rqa-done">{year} 成绩</span>'
    return f'<span class="rqa-badge rqa-plan">{year} 计划</span>'


def clauses_of(highlight_text: str) -> list[str]:
    """The clauses in one Answer.highlights entry: the answerer joins several quoted from the same passage with '｜'."""
    return [c for c in highlight_text.split(CLAUSE_SEPARATOR) if c]


def highlight(text: str, clauses: list[str]) -> str:
    """`text` escaped, with the first occurrence of each clause wrapped in <mark> (overlaps skipped)."""
    spans = sorted((at, at + len(c)) for c in clauses if (at := text.find(c)) >= 0)
    parts, done = [], 0
    for start, end in spans:
        if start < done:
            continue
        parts.append(f"{text_html(text[done:start])}<mark>{text_html(text[start:end])}</mark>")
        done = end
    parts.append(text_html(text[done:]))
    return "".join(parts)


def card_id(turn: int, number: int) -> str:
    """The element id of citation card `number` of answer `turn`: its [n] markers link to it."""
    return f"rqa-t{turn}-c{number}"


def citation_card(
    number: int,
    passage: Passage,
    clauses: list[str],
    *,
    related: bool = False,
    report_year: int = REPORT_YEAR,
    turn: int | None = None,
) -> str:
    """One cited passage, its supporting clauses marked; a click on it opens the whole paragraph.

    `related` marks a passage shown beside a refusal: near the question but not answering it,
    so it is tagged '不含答案' and nothing in it is highlighted.
    """
    paragraph = passage.context or passage.text
    if related:
        kind, tag = "rqa-card rqa-related", '<span class="rqa-tag">不含答案</span>'
        text, context = text_html(passage.text), text_html(paragraph)
    else:
        kind, tag = "rqa-card", ""
        text = highlight(passage.text, clauses)
        # In the paragraph, mark the supporting clauses, or failing that the cited chunk itself.
        in_paragraph = [c for c in clauses if c in paragraph]
        context = highlight(paragraph, in_paragraph or [passage.text])
    head = (
        f'<span class="rqa-card-head"><span class="rqa-num">[{number}]</span>'
        f'{year_badge(passage.year, report_year)}<span class="rqa-page">第{passage.page}页</span>{tag}</span>'
    )
    summary = (
        f"<summary>{head}"
        f'<span class="rqa-section">{text_html(passage.section)}</span>'
        f'<span class="rqa-passage">{text}</span>'
        f'<span class="rqa-more">展开整段原文</span></summary>'
    )
    anchor = f' id="{card_id(turn, number)}"' if turn is not None else ""
    return f'<details class="{kind}"{anchor}>{summary}<div class="rqa-context">{context}</div></details>'


def answer_text_html(text: str, turn: int | None = None) -> str:
    """The answer, escaped, with its [n] markers set as superscripts; in the chat (`turn` given) each links to its card."""
    if turn is None:
        return MARKER.sub(r'<sup class="rqa-ref">[\1]</sup>', text_html(text))
    return MARKER.sub(lambda m: f'<sup><a class="rqa-ref" href="#{card_id(turn, int(m[1]))}">[{m[1]}]</a></sup>', text_html(text))


# Under every answer in the chat: copy it, and 👍 / 👎 (thumbs drawn by ui/chat.css); ui/chat.js acts on the clicks.
ACTIONS = (
    '<div class="rqa-actions">'
    '<button type="button" class="rqa-action rqa-copy">复制回答</button>'
    '<button type="button" class="rqa-action rqa-rate rqa-up">有帮助</button>'
    '<button type="button" class="rqa-action rqa-rate rqa-down">没帮助</button>'
    "</div>"
)


# Shown under an answer ranked by keywords alone while the vector store is unreachable (rag.retrieval.retriever).
DEGRADED_NOTE = "提示：语义检索暂时不可用，本回答仅依据关键词检索，可能不够全面。"


def answer_html(answer: Answer, report_year: int = REPORT_YEAR, turn: int | None = None) -> str:
    """The assistant's message: the answer text, then its citations as cards. In the chat, `turn` numbers the
    answer (its id, its cards' ids) and adds the copy and 👍 / 👎 buttons.

    A refusal gets a '报告未提及' label, and the passages shown with it are marked as
    related passages that do not contain the answer.
    """
    if answer.refused:
        # The label says it at a glance, unless the answer's own first words already do.
        said = answer.text.startswith(REFUSAL_LABEL)
        label = "" if said else f'<div class="rqa-refusal-label">{REFUSAL_LABEL}</div>'
        title = "相关段落（不含答案）"
    else:
        label = ""
        title = "引用原文（点击卡片查看整段）"
    highlights = list(answer.highlights) + [""] * (len(answer.citations) - len(answer.highlights))
    cards = "".join(
        citation_card(n, p, clauses_of(h), related=answer.refused, report_year=report_year, turn=turn)
        for n, (p, h) in enumerate(zip(answer.citations, highlights), start=1)
    )
    sources = f'<div class="rqa-cards-title">{title}</div><div class="rqa-cards">{cards}</div>' if cards else ""
    kind = "rqa-answer rqa-refused" if answer.refused else "rqa-answer"
    note = f'<div class="rqa-degraded">{DEGRADED_NOTE}</div>' if answer.degraded else ""
    anchor, actions = (f' id="rqa-turn-{turn}"', ACTIONS) if turn is not None else ("", "")
    text = answer_text_html(answer.text, turn)
    return f'<div class="{kind}"{anchor}>{label}<div class="rqa-text">{text}</div>{note}{actions}{sources}</div>'

"""The metric, heading and group names of the summary tables in Chinese, for the staff tab of the web chat.

`reportqa eval` and report.md keep the English terms (they are what the README and the thresholds file use);
the tab shows these, each with its English term as a tooltip (`chinese(term)`; headings and groups in Chinese alone).
"""

from __future__ import annotations

from html import escape

# Metric names: shown in Chinese with the English term (the README's and the thresholds file's) as a tooltip.
METRICS = {
    # retrieval
    "configuration": "配置",
    "hit@1": "首条命中率",
    "hit@3": "前3条命中率",
    "hit@5": "前5条命中率",
    "MRR": "平均倒数排名",
    "nDCG@5": "前5条排序质量",
    "context_precision": "段落精确率",
    "context_recall": "段落召回率",
    "retrieve_p50_ms": "检索耗时中位数（毫秒）",
    "retrieve_p95_ms": "检索耗时95分位（毫秒）",
    # passages shown (cited first)
    "shown_hit@1": "展示首条命中率",
    "shown_hit@3": "展示前3条命中率",
    "shown_hit@5": "展示前5条命中率",
    "shown_MRR": "展示平均倒数排名",
    # answers
    "answer_accuracy": "回答准确率",
    "refusal_precision": "拒答精确率",
    "refusal_recall": "无答案题拒答率",
    "false_refusal_rate": "误拒率",
    "citation_precision": "引用精确率",
    "citation_recall": "引用召回率",
    "grounded_rate": "数字有据率",
    "answer_p50_ms": "回答耗时中位数（毫秒）",
    "answer_p95_ms": "回答耗时95分位（毫秒）",
}
# Shown in Chinese alone: headings and group names explain themselves.
PHRASES = {
    # headings
    "Retrieval": "检索",
    "Passages shown (those the answer cites first)": "展示的段落（回答所引段落在前）",
    "Answers": "回答",
    "Accuracy per question type (unanswerable: correct = refused)": "各题型准确率（无答案题：拒答即正确）",
    "Year traps and follow-ups (accuracy; — when the set has none)": "年份陷阱与追问（准确率；没有此类题时为 —）",
    "Accuracy per year asked about (none: the unanswerable items)": "按所问年份的准确率（无：无答案题）",
    "Accuracy per question style (none: items without a style)": "按提问风格的准确率（无：未标风格的题）",
    "year traps (type trap_year)": "年份陷阱",
    "follow-ups (with chat history)": "追问（带对话历史）",
    # groups
    "all": "全部",
    "none": "无",
    "number": "数字",
    "fact": "事实",
    "list": "列举",
    "target": "目标",
    "trap_year": "年份陷阱",
    "unanswerable": "无答案",
    "multi": "多问",
    "colloquial": "口语",
    "abbreviation": "简称",
    "everyday_term": "日常用语",
    "relative_date": "相对日期",
    "typo": "错别字",
    "traditional": "繁体",
    "english_mixed": "夹杂英文",
    "formal": "正式",
    "followup": "追问",
    "multi_part": "一问多答",
}


def english(term: str) -> str:
    return term


def chinese(term: str) -> str:
    """A metric's Chinese name with the English term as its tooltip (HTML inside Markdown); a heading's or group's
    Chinese name; anything else as it is (a configuration's name)."""
    if term in METRICS:
        return f'<span title="{escape(term)}">{METRICS[term]}</span>'
    return PHRASES.get(term, term)

"""The report's outline: which section, and which year, every sentence belongs to.

A work report has three levels of headings, and only the first two are on lines of their own:
- parts: "一、2022年工作回顾", "二、2023年主要工作安排", "三、全面加强政府自身建设";
- tasks of part 二: "（一）坚决拉高标杆，推进经济高质量发展。";
- lead sentences that open a paragraph and name its topic ("扩大有效投资。",
  "一年来，我们…区域综合实力稳步提升。"), and inside part 一's long paragraphs, short
  stand-alone topic sentences ("经济发展稳中有进。") that open the next run of sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import Paragraph

PART = re.compile(r"^[一二三四五六七八九十]+、")
TASK = re.compile(r"^（[一二三四五六七八九十]+）")
# A sentence ends at 。！？； or at a colon that introduces a list, with any closing quote kept.
SENTENCE = re.compile(r".+?(?:[。！？；：][”’」』）]*|$)")
DIGIT = re.compile(r"[0-9０-９]")
REVIEW_LEAD = "一年来，我们"
# Parts that review the past year; everything after them is the plan for the report's year.
REVIEW_PART_MARK = "回顾"
# The longest sentence still read as a heading, in characters. Longer ones carry content.
MAX_LEAD_CHARS = 20
MAX_TOPIC_CHARS = 12


@dataclass(frozen=True)
class Sentence:
    text: str
    section: tuple[str, ...]
    page: int
    year: int
    paragraph: int  # index of the paragraph it came from


def split_sentences(text: str) -> list[str]:
    """Split at 。！？；： only; decimals ("1.7万") use an ASCII dot and never split."""
    return [s for s in (m.group(0).strip() for m in SENTENCE.finditer(text)) if s]


def heading_name(sentence: str) -> str:
    return sentence.rstrip("。：；！？ ")


def is_paragraph_lead(sentence: str, rest: list[str]) -> bool:
    """The first sentence names the paragraph's topic: short, no figures, and more follows."""
    return bool(rest) and (sentence.startswith(REVIEW_LEAD) or (len(sentence) <= MAX_LEAD_CHARS and not DIGIT.search(sentence)))


def is_topic_sentence(sentence: str) -> bool:
    """A short stand-alone sentence inside a review paragraph, like "经济发展稳中有进。"."""
    body = heading_name(sentence)
    return len(body) <= MAX_TOPIC_CHARS and not DIGIT.search(body) and not re.search(r"[，、“”（）]", body)


def year_of_part(part: str, report_year: int) -> int:
    return report_year - 1 if REVIEW_PART_MARK in part else report_year


def outline(paragraphs: list[Paragraph], report_year: int) -> list[Sentence]:
    """Every sentence of the report with its section path and year.

    `report_year` is the year the report plans for (2023 for a report delivered in January 2023);
    the part that reviews the past year is `report_year - 1`.

    A section path is (part, area, topic). In the review part the area is the "一年来，我们…"
    sentence and the topic a short topic sentence; in the plan parts the area is the task
    "（一）…" and the topic the paragraph's lead sentence.
    """
    sentences: list[Sentence] = []
    part, area, topic = "", "", ""
    for index, paragraph in enumerate(paragraphs):
        if PART.match(paragraph.text):
            part, area, topic = heading_name(paragraph.text), "", ""
            continue
        if TASK.match(paragraph.text):
            area, topic = heading_name(paragraph.text), ""
            continue
        year = year_of_part(part, report_year) if part else report_year
        in_review = year < report_year
        texts = split_sentences(paragraph.text)
        first, rest = texts[0], texts[1:]
        if in_review:
            if first.startswith(REVIEW_LEAD):
                area, topic = heading_name(first), ""
            elif is_topic_sentence(first):
                topic = heading_name(first)
            else:
                # "过去的一年…", "这些成绩的取得…" stand on their own; "道有夷险，履之者知。" names its paragraph.
                area, topic = (heading_name(first) if is_paragraph_lead(first, rest) else ""), ""
        elif is_paragraph_lead(first, rest):
            topic = heading_name(first)
        elif not area:
            topic = ""  # outside the tasks a paragraph without a lead has no topic of its own
        cursor = 0  # searching on from the end of the previous sentence: a repeated sentence is found anew
        for position, text in enumerate(texts):
            start = paragraph.text.index(text, cursor)
            cursor = start + len(text)
            if in_review and position > 0 and is_topic_sentence(text):
                topic = heading_name(text)
            section = tuple(name for name in (part or "开篇", area, topic) if name)
            sentences.append(Sentence(text, section, paragraph.page_at(start), year, index))
    return sentences

"""From PDF-extracted report text to clean paragraphs that know the page they start on.

The extraction leaves four kinds of debris, each handled by one small function:
hard line breaks inside sentences, a blank line after every line, page furniture
(a page starts at a line that begins with a space; one footer "—15—" survived),
and spaces between Chinese and numbers or Latin ("增长 3.4%", "政 府 工 作 报 告").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FOOTER = re.compile(r"^\s*[—–-]\s*(\d+)\s*[—–-]\s*$")
SENTENCE_END = "。！？：；"
# A printed line is ~28 Chinese characters (width 56). A paragraph's first line is
# indented by two characters, so a line no wider than this either ends or starts a paragraph.
INDENTED_WIDTH = 52
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int  # the page the paragraph starts on
    # (character offset, page) wherever a new page begins inside the paragraph, first entry (0, page)
    page_starts: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int:
        """The page that character `offset` of the paragraph stands on."""
        page = self.page
        for start, number in self.page_starts:
            if start > offset:
                break
            page = number
        return page


@dataclass(frozen=True)
class _Line:
    text: str  # stripped of the page-start space and trailing whitespace
    page: int
    width: int


def display_width(text: str) -> int:
    """Columns a line takes in the PDF: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def remove_extraction_spaces(text: str) -> str:
    """Drop every space unless it separates two Latin letters or digits ("RCEP 等" → "RCEP等")."""

    def keep_or_drop(match: re.Match) -> str:
        before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
        return " " if ASCII_WORD.fullmatch(before or "") and ASCII_WORD.fullmatch(after or "") else ""

    return re.sub(r"[ \t\u3000\u00a0]+", keep_or_drop, text).strip()


def _lines_with_pages(raw: str) -> list[_Line]:
    """Split into non-empty lines, numbering pages so that the surviving footer keeps its number."""
    page, page_break_pending, pinned, lines = 0, True, None, []
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        footer = FOOTER.match(line)
        if footer:
            pinned = (page, int(footer.group(1)))
            page_break_pending = True
            continue
        if page_break_pending or line[0].isspace():
            page += 1
            page_break_pending = False
        text = line.strip()
        lines.append(_Line(text, page, display_width(text)))
    offset = pinned[1] - pinned[0] if pinned else 0
    return [_Line(line.text, line.page + offset, line.width) for line in lines]


def _ends_paragraph(line: _Line, following: _Line | None) -> bool:
    if following is None or HEADING.match(following.text) or HEADING.match(line.text):
        return True
    if line.text[-1] not in SENTENCE_END:
        return False
    # The sentence ends on a short line, or the next line is indented: a new paragraph.
    return line.width <= INDENTED_WIDTH or following.width <= INDENTED_WIDTH


def clean_paragraphs(raw: str) -> list[Paragraph]:
    """The report as clean paragraphs, each knowing the pages it stands on."""
    lines = _lines_with_pages(raw)
    paragraphs: list[Paragraph] = []
    text, page_starts = "", []
    for i, line in enumerate(lines):
        if not page_starts or page_starts[-1][1] != line.page:
            page_starts.append((len(text), line.page))
        # Chinese wraps lines without a space, so joined lines meet with nothing between them.
        text += remove_extraction_spaces(line.text)
        if _ends_paragraph(line, lines[i + 1] if i + 1 < len(lines) else None):
            if text:
                paragraphs.append(Paragraph(text, page_starts[0][1], tuple(page_starts)))
            text, page_starts = "", []
    return paragraphs


def clean_text(raw: str) -> str:
    """The cleaned report as plain text, one paragraph a line."""
    return "\n".join(p.text for p in clean_paragraphs(raw))

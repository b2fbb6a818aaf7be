"""Reading a report file into chunks, with a clear message for every way a file can be unusable."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.chunk import DEFAULT_MAX_CHARS, Chunk, chunk_sentences
from ingest.clean import clean_paragraphs
from ingest.sections import outline

PLAN_YEAR = re.compile(r"(20\d\d)\s*年\s*(?:主要)?工作(?:安排|任务|计划)")
REVIEW_YEAR = re.compile(r"(20\d\d)\s*年\s*工作回顾")
ANY_YEAR = re.compile(r"(20\d\d)\s*年")


class DocumentError(ValueError):
    """A report file that cannot be read or holds no usable text; the message says which and why."""


def read_report(path: Path) -> str:
    path = Path(path)
    if not path.exists():
        raise DocumentError(f"找不到文件 / file not found: {path}")
    if path.is_dir():
        raise DocumentError(f"这是一个文件夹，不是报告文件 / is a directory, not a text file: {path}")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"无法读取文件 / cannot read {path}: {error.strerror or error}") from error
    if b"\x00" in raw[:4096]:
        raise DocumentError(f"不是文本文件（可能是PDF或二进制）/ not a text file (binary or PDF?): {path}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocumentError(f"无法识别文件编码（需要UTF-8或GB18030）/ not UTF-8 or GB18030 text: {path}")
    if not text.strip():
        raise DocumentError(f"文件是空的 / the file is empty: {path}")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise DocumentError(f"文件中没有中文内容 / no Chinese text in {path}")
    return text


def report_year(text: str) -> int:
    """The year a report plans for: the year of its work plan, else the year after its review."""
    if match := PLAN_YEAR.search(text):
        return int(match.group(1))
    if match := REVIEW_YEAR.search(text):
        return int(match.group(1)) + 1
    if match := ANY_YEAR.search(text):
        return int(match.group(1))
    raise DocumentError("报告中找不到年份 / cannot tell which year the report is about")


def document_id(path: Path) -> str:
    return Path(path).stem


def load_chunks(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    """Read, clean, outline and chunk one report file."""
    raw = read_report(path)
    paragraphs = clean_paragraphs(raw)
    year = report_year("\n".join(p.text for p in paragraphs))
    chunks = chunk_sentences(outline(paragraphs, year), document_id(path), max_chars)
    if not chunks:
        raise DocumentError(f"文件中没有可用的段落 / no usable paragraphs in {path}")
    return chunks

"""A reviewed 👎 becomes a golden-set item: staff's review checked against the report, then every line
passed through eval.golden's own checker (the one `reportqa eval --golden` runs) before it is accepted."""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from eval.feedback.records import LIMITS, FeedbackError, FeedbackLimits, Review, StoredFeedback
from eval.golden import EVIDENCE_SEPARATOR, TYPES, GoldenFileError, load_golden
from ingest.clean import clean_text
from ingest.load import read_report

# Years a review may name: the report's own and a margin either side, so a typo like 2203 is caught.
YEARS = range(2000, 2101)


@lru_cache(maxsize=4)
def _cleaned_report(report: Path, modified: float) -> str:
    # As eval.golden reads it: a piece of evidence may cross a line break.
    return clean_text(read_report(report)).replace("\n", "")


def _pieces(values: object, name: str, count: int, chars: int) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise FeedbackError(f"{name} 必须是文字列表 / {name} must be a list of strings")
    pieces = tuple(v.strip() for v in values if v.strip())
    if len(pieces) > count:
        raise FeedbackError(
            f"{name} 太多（{len(pieces)}条，上限{count}条） / {name} has {len(pieces)} entries; the limit is {count}"
        )
    for piece in pieces:
        if len(piece) > chars:
            raise FeedbackError(
                f"{name} 有一条太长（{len(piece)}字，上限{chars}字） / an entry of {name} has {len(piece)} characters; the limit is {chars}"
            )
    return pieces


def checked_review(review: object, report: Path, limits: FeedbackLimits = LIMITS) -> Review:
    """The review, stripped, with every evidence piece found verbatim in the cleaned report; else a FeedbackError."""
    if not isinstance(review, Review):
        raise FeedbackError("需要一条 Review 记录 / expected a Review record")
    if review.type not in TYPES:
        raise FeedbackError(f"题型只能是 {' / '.join(TYPES)} / type must be one of {', '.join(TYPES)}, not {review.type!r}")
    if review.year is not None and (
        isinstance(review.year, bool) or not isinstance(review.year, int) or review.year not in YEARS
    ):
        raise FeedbackError(
            f"年份须为 {YEARS[0]}–{YEARS[-1]} 的整数或留空 / year must be a whole number from {YEARS[0]} to {YEARS[-1]}, or None"
        )
    answer = review.answer.strip() if isinstance(review.answer, str) else None
    if not answer:
        raise FeedbackError("请填写正确答案 / the correct answer is empty")
    if len(answer) > limits.review_answer_chars:
        raise FeedbackError(
            f"正确答案太长（上限{limits.review_answer_chars}字） / the answer is over {limits.review_answer_chars} characters"
        )
    must_include = _pieces(review.must_include, "must_include", limits.must_include_items, limits.must_include_chars)
    evidence = _pieces(review.evidence, "evidence", limits.evidence_pieces, limits.evidence_chars)
    answerable = review.type != "unanswerable"
    if answerable and not must_include:
        raise FeedbackError(
            "请至少填写一个答案必须包含的词（数字或名称） / must_include is empty: an answerable item needs at least one string"
        )
    if answerable and not evidence:
        raise FeedbackError(
            "请从报告中逐字复制至少一段证据 / evidence is empty: an answerable item needs a verbatim piece of the report"
        )
    report = Path(report)
    text = _cleaned_report(report, report.stat().st_mtime)
    for number, piece in enumerate(evidence, start=1):
        if EVIDENCE_SEPARATOR.strip() in piece:
            raise FeedbackError(
                f"证据第{number}段含有分隔符“||”，请分成两段 / evidence piece {number} contains '||': give it as two pieces"
            )
        if piece not in text:
            raise FeedbackError(
                f"证据第{number}段不是报告原文，请从报告中逐字复制：「{piece[:40]}」 / "
                f"evidence piece {number} does not stand verbatim in the report: {piece[:40]!r}"
            )
    if not isinstance(review.section, str) or len(review.section) > limits.review_answer_chars:
        raise FeedbackError("section 须为文字（可留空） / section must be a string, possibly empty")
    return Review(answer, must_include, evidence, review.type, review.year, review.section.strip())


def golden_item(item: StoredFeedback, review: Review) -> dict:
    """The golden-format object for one reviewed 👎 (eval/README.md, "Writing a golden file")."""
    line = {
        "id": f"fb{item.id}",
        "question": item.feedback.question,
        "answer": review.answer,
        "must_include": list(review.must_include),
        "evidence": EVIDENCE_SEPARATOR.join(review.evidence),
        "section": review.section,
        "year": review.year,
        "type": review.type,
    }
    if item.feedback.history:
        line["history"] = list(item.feedback.history)
    return line


def golden_lines(items: list[tuple[StoredFeedback, Review]], report: Path) -> list[str]:
    """One JSON line per item, accepted by eval.golden.load_golden as a whole file; else a FeedbackError."""
    if not items:
        raise FeedbackError("还没有复核过的反馈可以导出 / no reviewed feedback to export")
    lines = [json.dumps(golden_item(item, review), ensure_ascii=False) for item, review in items]
    with tempfile.TemporaryDirectory(prefix="reportqa-feedback-") as folder:
        path = Path(folder) / "feedback.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            load_golden(path, report)
        except GoldenFileError as error:
            # "<temp path>:<line>: <reason>" → the feedback id and the reason
            number, _, reason = str(error).removeprefix(f"{path}:").partition(": ")
            which = f"fb{items[int(number) - 1][0].id}" if number.isdigit() else "the file"
            raise FeedbackError(f"{which} 未通过评测集检查 / {which} is refused by the golden-set checker: {reason}") from None
    return lines


def write_golden(lines: list[str], path: Path) -> None:
    """Write the lines as a golden file; readers see the old file or the whole new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        staging.write_text("\n".join(lines) + "\n", encoding="utf-8")
        staging.replace(path)
    finally:
        staging.unlink(missing_ok=True)

"""The golden set: one JSON object a line, checked field by field before anything runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.clean import clean_text
from ingest.load import read_report

TYPES = ("number", "fact", "list", "target", "trap_year", "unanswerable", "multi")
REQUIRED = ("id", "question", "answer", "must_include", "evidence", "section", "year", "type")
EVIDENCE_SEPARATOR = " || "
DEFAULT_GOLDEN = Path(__file__).resolve().parent / "golden.jsonl"


class GoldenFileError(ValueError):
    """A golden file that cannot be used; the message names the line and the reason."""


@dataclass(frozen=True)
class GoldenItem:
    id: str
    question: str
    answer: str
    must_include: tuple[str, ...]
    evidence: tuple[str, ...]  # each piece stands verbatim in the cleaned report
    section: str
    year: int | None
    type: str
    history: tuple[dict, ...] = field(default=())
    # How the question is phrased (colloquial, typo, traditional, english_mixed, followup, …): reports
    # break accuracy down by it. Optional and open-ended: a set may name styles of its own.
    style: str | None = None

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


def _problem(item: dict, report_text: str) -> str | None:
    """What is wrong with one parsed line, or None."""
    if not isinstance(item, dict):
        return "not a JSON object"
    missing = [name for name in REQUIRED if name not in item]
    if missing:
        return f"missing field(s): {', '.join(missing)}"
    if item["type"] not in TYPES:
        return f"unknown type {item['type']!r} (one of: {', '.join(TYPES)})"
    if not isinstance(item["question"], str) or not item["question"].strip():
        return "question must be a non-empty string"
    # The section is informative: an unanswerable question stands under none (null).
    if not isinstance(item["answer"], str) or not isinstance(item["section"], (str, type(None))):
        return "answer must be a string, section a string or null"
    if not isinstance(item["must_include"], list) or not all(isinstance(s, str) and s for s in item["must_include"]):
        return "must_include must be a list of non-empty strings"
    if item["type"] != "unanswerable" and not item["must_include"]:
        return "must_include is empty: an answerable item is scored by the strings its answer must contain"
    if not isinstance(item["evidence"], str):
        return "evidence must be a string"
    if item["year"] is not None and (not isinstance(item["year"], int) or isinstance(item["year"], bool)):
        return "year must be an integer or null"
    if "history" in item and not (
        isinstance(item["history"], list)
        and all(
            isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
            for t in item["history"]
        )
    ):
        return 'history must be a list of {"role": "user"|"assistant", "content": "..."}'
    if item.get("style") is not None and not (isinstance(item["style"], str) and item["style"].strip()):
        return "style must be a non-empty string (e.g. colloquial, typo, traditional) or left out"
    pieces = [p for p in item["evidence"].split(EVIDENCE_SEPARATOR) if p.strip()]
    if item["type"] != "unanswerable" and not pieces:
        return "evidence is empty (only unanswerable items may have none)"
    for piece in pieces:
        if piece.strip() not in report_text:
            return f"evidence not found in the cleaned report: {piece[:40]!r}"
    return None


def load_golden(path: Path, report_path: Path) -> list[GoldenItem]:
    """All items of a golden file, or a GoldenFileError naming the first bad line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise GoldenFileError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GoldenFileError(f"{path}: cannot read: {error}") from None
    report_text = clean_text(read_report(report_path)).replace("\n", "")
    items, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldenFileError(f"{path}:{number}: bad JSON: {error.msg} (column {error.colno})") from None
        problem = _problem(raw, report_text)
        if problem is None and raw["id"] in seen:
            problem = f"duplicate id {raw['id']!r}"
        if problem:
            raise GoldenFileError(f"{path}:{number}: {problem}")
        seen.add(raw["id"])
        items.append(
            GoldenItem(
                id=str(raw["id"]),
                question=raw["question"],
                answer=raw["answer"],
                must_include=tuple(raw["must_include"]),
                evidence=tuple(p.strip() for p in raw["evidence"].split(EVIDENCE_SEPARATOR) if p.strip()),
                section=raw["section"] or "",
                year=raw["year"],
                type=raw["type"],
                history=tuple(raw.get("history", ())),
                style=raw["style"].strip() if raw.get("style") is not None else None,
            )
        )
    if not items:
        raise GoldenFileError(f"{path}: no items")
    return items

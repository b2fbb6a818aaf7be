"""The golden sets themselves (eval/golden.jsonl, eval/sets/dev.jsonl), and how a malformed golden file
is turned away. Reading a golden file needs the report, not the model."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from eval.golden import DEFAULT_GOLDEN, TYPES, GoldenFileError, load_golden
from ingest import clean_text, read_report
from rag.settings import DEFAULT_REPORT

DEV_SET = DEFAULT_GOLDEN.parent / "sets" / "dev.jsonl"


@pytest.fixture(scope="module")
def items():
    return load_golden(DEFAULT_GOLDEN, DEFAULT_REPORT)


def test_every_evidence_piece_stands_verbatim_in_the_cleaned_report(items):
    report = clean_text(read_report(DEFAULT_REPORT)).replace("\n", "")  # a piece may cross a line break
    missing = [(i.id, piece) for i in items for piece in i.evidence if piece not in report]
    assert missing == []


def test_ids_are_unique_and_every_line_is_an_item(items):
    lines = [line for line in DEFAULT_GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) == len(lines)
    assert len({i.id for i in items}) == len(items)


def test_the_set_is_large_and_covers_every_type_years_and_follow_ups(items):
    assert len(items) >= 150
    types = Counter(i.type for i in items)
    assert set(types) == set(TYPES), f"types missing: {set(TYPES) - set(types)}"
    assert {i.year for i in items if i.answerable} == {2022, 2023}
    assert sum(bool(i.history) for i in items) >= 10


def test_answerable_items_carry_evidence_and_unanswerable_ones_none(items):
    assert all(i.evidence and i.must_include for i in items if i.answerable)
    assert all(not i.evidence and i.year is None for i in items if not i.answerable)


def test_follow_ups_end_with_the_assistant_turn_before_the_question(items):
    for item in (i for i in items if i.history):
        assert [t["role"] for t in item.history][-2:] == ["user", "assistant"], item.id


def test_the_development_set_loads_with_the_style_of_every_question():
    lines = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = load_golden(DEV_SET, DEFAULT_REPORT)
    assert [(i.id, i.style) for i in items] == [(line["id"], line.get("style")) for line in lines]
    assert all(i.history for i in items if i.style == "followup")


# --------------------------------------------------------------------------- malformed files


def write(tmp_path, *lines: str):
    path = tmp_path / "staff.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def item_line(golden_line):
    """A valid line (g003) with some fields changed; a field set to None is left out."""

    def line(**changes) -> str:
        item = {**json.loads(golden_line("g003")), **changes}
        return json.dumps({k: v for k, v in item.items() if v is not None}, ensure_ascii=False)

    return line


@pytest.mark.parametrize(
    "bad, reason",
    [
        ('{"id": "x1", "question": "去年GDP多少"', r"staff.jsonl:2: bad JSON: .* \(column \d+\)"),
        ('["a", "list"]', r"staff.jsonl:2: not a JSON object"),
        ({"id": "x2", "type": "opinion"}, r"staff.jsonl:2: unknown type 'opinion' \(one of: number, fact"),
        ({"id": "x3", "evidence": None}, r"staff.jsonl:2: missing field\(s\): evidence"),
        (
            {"id": "x4", "evidence": "历城区GDP达到一万亿元"},
            r"staff.jsonl:2: evidence not found in the cleaned report: '历城区GDP达到一万亿元'",
        ),
        ({"id": "x5", "must_include": []}, r"staff.jsonl:2: must_include is empty"),
        ({"id": "x6", "year": "2022"}, r"staff.jsonl:2: year must be an integer or null"),
        ({"id": "g003"}, r"staff.jsonl:2: duplicate id 'g003'"),
        ({"id": "x7", "style": ""}, r"staff.jsonl:2: style must be a non-empty string"),
        ({"id": "x8", "style": ["typo"]}, r"staff.jsonl:2: style must be a non-empty string"),
        ({"id": "x9", "section": 3}, r"staff.jsonl:2: answer must be a string, section a string or null"),
    ],
)
def test_a_bad_line_is_named_with_its_number_and_reason(tmp_path, item_line, bad, reason):
    path = write(tmp_path, item_line(), bad if isinstance(bad, str) else item_line(**bad), item_line(id="later"))
    with pytest.raises(GoldenFileError, match=reason):
        load_golden(path, DEFAULT_REPORT)


def test_the_style_is_optional_and_carried_as_written(tmp_path, item_line):
    path = write(tmp_path, item_line(id="a", style="traditional"), item_line(id="b"), item_line(id="c", style="my_own_style"))
    assert [i.style for i in load_golden(path, DEFAULT_REPORT)] == ["traditional", None, "my_own_style"]


def test_the_section_of_an_unanswerable_question_may_be_null(tmp_path, item_line):
    unanswerable = json.loads(item_line(id="a", evidence="", must_include=["报告未提及"], type="unanswerable"))
    path = write(tmp_path, json.dumps({**unanswerable, "section": None, "year": None}, ensure_ascii=False))
    assert [i.section for i in load_golden(path, DEFAULT_REPORT)] == [""]


def test_blank_lines_are_skipped_but_count_for_line_numbers(tmp_path, item_line):
    path = write(tmp_path, item_line(), "", item_line(id="x", type="opinion"))
    with pytest.raises(GoldenFileError, match=r"staff.jsonl:3: unknown type"):
        load_golden(path, DEFAULT_REPORT)


def test_an_empty_or_missing_file_is_refused(tmp_path):
    with pytest.raises(GoldenFileError, match="no items"):
        load_golden(write(tmp_path, ""), DEFAULT_REPORT)
    with pytest.raises(GoldenFileError, match="file not found"):
        load_golden(tmp_path / "nope.jsonl", DEFAULT_REPORT)

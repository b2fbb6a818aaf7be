"""Reading a report file: the real report loads; every unusable file is a DocumentError that says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import load_chunks
from ingest.load import DocumentError, document_id, read_report, report_year
from rag.settings import DEFAULT_REPORT

BILINGUAL = re.compile(r"[\u4e00-\u9fff][^/]*/ ?[A-Za-z]")  # "找不到文件 / file not found: …": Chinese, then English


def test_the_report_loads_into_chunks_of_one_document() -> None:
    chunks = load_chunks(DEFAULT_REPORT)
    assert len(chunks) > 200
    assert {c.doc_id for c in chunks} == {"lichengqu_2023_report"}
    assert {c.year for c in chunks} == {2022, 2023}


def test_the_document_id_is_the_file_name_stem() -> None:
    assert document_id(Path("/somewhere/else/lichengqu_2023_report.txt")) == "lichengqu_2023_report"


def test_the_report_plans_for_2023() -> None:
    assert report_year(read_report(DEFAULT_REPORT)) == 2023


@pytest.mark.parametrize(
    "text, year",
    [
        ("二、2024 年主要工作安排", 2024),
        ("一、2023年工作回顾", 2024),
        ("2021年，我们做了很多事。", 2021),
    ],
)
def test_the_report_year_comes_from_the_plan_else_the_review(text: str, year: int) -> None:
    assert report_year(text) == year


def test_a_gb18030_copy_gives_the_same_chunks(tmp_path: Path) -> None:
    copy = tmp_path / DEFAULT_REPORT.name
    copy.write_bytes(DEFAULT_REPORT.read_text(encoding="utf-8").encode("gb18030"))
    assert load_chunks(copy) == load_chunks(DEFAULT_REPORT)


def test_a_utf8_bom_and_windows_line_ends_change_nothing(tmp_path: Path) -> None:
    copy = tmp_path / DEFAULT_REPORT.name
    copy.write_bytes(b"\xef\xbb\xbf" + DEFAULT_REPORT.read_bytes().replace(b"\n", b"\r\n"))
    assert load_chunks(copy) == load_chunks(DEFAULT_REPORT)


# --------------------------------------------------------------------------- unusable files


def assert_clear(error: DocumentError, *words: str) -> None:
    message = str(error)
    assert BILINGUAL.search(message), message
    for word in words:
        assert word in message, message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no_such_report.txt"
    with pytest.raises(DocumentError) as caught:
        load_chunks(missing)
    assert_clear(caught.value, "file not found", str(missing))


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        load_chunks(tmp_path)
    assert_clear(caught.value, "directory", str(tmp_path))


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00\x00stream", "not a text file"),
        ("garbled.txt", "政府工作报告".encode() + b"\xff\xfe\x80\x81" * 50, "UTF-8"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", " \n\n\t\n\u3000\n".encode("utf-8"), "empty"),
        ("english.txt", b"Government Work Report 2023\n\nWe did a lot.\n", "no Chinese text"),
    ],
    ids=["binary", "undecodable", "empty", "blank lines", "no Chinese"],
)
def test_an_unusable_file_is_refused_with_its_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        load_chunks(path)
    assert_clear(caught.value, reason, str(path))


def test_a_text_without_any_year_is_refused(tmp_path: Path) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text("各位代表：\n\n现在，我代表区人民政府向大会报告工作。\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        load_chunks(undated)
    assert_clear(caught.value, "year")

"""The index stays in step with the report files: stable ids, no duplicates, changed files replaced, BM25 rebuilt.

These tests use the session index (tests/conftest.py). The one that ingests a changed copy puts the
real report back before it ends, and checks that it did.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest import load_chunks
from ingest.load import read_report
from rag.models.embedder import Embedder
from rag.settings import DEFAULT_REPORT, Settings
from rag.store.chroma import VectorStore, chroma_client
from rag.store.index import EmptyIndexError, Index
from rag.store.keywords import KeywordIndex, fingerprint
from rag.text.tokenize import ChineseTokenizer
from rag.text.vocabulary import load_vocabulary

EDITED_FROM, EDITED_TO = "粮食总产量达到10.5万吨", "粮食总产量达到11.2万吨"
REMOVED = "区域粮食储备安全，初步构建起覆盖全区的粮食应急供应保障体系。"


def in_raw(clean: str) -> re.Pattern:
    """A cleaned phrase as it stands in the raw extraction: any spaces and line breaks between characters."""
    return re.compile(r"\s*".join(map(re.escape, clean)))


def bm25_fingerprint(index: Index) -> str:
    return json.loads((index._keyword_folder() / "chunk_ids.json").read_text())["fingerprint"]


def ids_of(index: Index, doc_id: str) -> set[str]:
    return {c.chunk_id for c in index.chunks if c.doc_id == doc_id}


def test_the_index_holds_exactly_the_reports_chunks(index: Index) -> None:
    expected = load_chunks(DEFAULT_REPORT)
    assert index.store.count() == len(expected)
    assert index.chunks == expected
    assert index.report_year == 2023


def test_reingesting_the_same_file_adds_nothing_and_keeps_ids(index: Index) -> None:
    before = [c.chunk_id for c in index.chunks]
    fingerprint_before = bm25_fingerprint(index)

    (first,) = index.ingest([DEFAULT_REPORT])
    (second,) = index.ingest([DEFAULT_REPORT])

    for report in (first, second):
        assert (report.doc_id, report.added, report.removed, report.kept) == ("lichengqu_2023_report", 0, 0, len(before))
    assert [c.chunk_id for c in index.chunks] == before
    assert index.store.count() == len(before)
    assert bm25_fingerprint(index) == fingerprint_before


def test_reopening_the_index_embeds_nothing_and_reuses_the_saved_bm25(
    index: Index, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Embedder, "embed_passages", lambda self, texts: pytest.fail(f"re-embedded {len(texts)} chunks"))
    monkeypatch.setattr(KeywordIndex, "build", classmethod(lambda cls, *args: pytest.fail("rebuilt BM25")))
    reopened = Index.open(settings)  # sync=True: checks the report against the store
    assert reopened.chunks == index.chunks
    assert reopened.keywords.chunk_ids == index.keywords.chunk_ids


def test_a_changed_copy_replaces_the_old_chunks_of_that_document(index: Index, tmp_path: Path) -> None:
    original = {c.chunk_id: c for c in index.chunks}
    other = tmp_path / "other_district_2023.txt"
    other.write_text("二、2023年主要工作安排\n\n新建口袋公园9处，新增绿道10公里。\n", encoding="utf-8")
    raw = read_report(DEFAULT_REPORT)
    changed_raw, edits = in_raw(EDITED_FROM).subn(EDITED_TO, raw)
    changed_raw, removals = in_raw(REMOVED).subn("", changed_raw)
    assert (edits, removals) == (1, 1)
    changed = tmp_path / DEFAULT_REPORT.name  # same stem: the same document, a new version
    changed.write_text(changed_raw, encoding="utf-8")
    expected = load_chunks(changed)
    try:
        index.ingest([other])
        other_ids = ids_of(index, "other_district_2023")
        assert len(other_ids) == 1
        fingerprint_before = bm25_fingerprint(index)

        (report,) = index.ingest([changed])

        now = {c.chunk_id: c for c in index.chunks if c.doc_id == "lichengqu_2023_report"}
        old_ids, new_ids = set(original) - set(now), set(now) - set(original)
        assert now == {c.chunk_id: c for c in expected}  # ids, text, context, order, page: all current
        # Only chunks of the edited paragraph are replaced (at 80 characters: the edited one and the removed one).
        (edited,) = [c for c in original.values() if EDITED_FROM in c.text]
        assert old_ids and {original[i].section for i in old_ids} == {edited.section}
        assert new_ids and {now[i].section for i in new_ids} == {edited.section}
        assert any(EDITED_TO in now[i].text for i in new_ids)
        assert (report.removed, report.added, report.kept) == (len(old_ids), len(new_ids), len(expected) - len(new_ids))
        assert not [c for c in index.chunks if REMOVED in c.text or REMOVED in c.context or EDITED_FROM in c.context]
        assert index.store.count() == len(expected) + len(other_ids)
        assert ids_of(index, "other_district_2023") == other_ids  # the other document is untouched
        # BM25 was rebuilt for the new chunk set: it finds the edited figure, not the old one.
        assert bm25_fingerprint(index) != fingerprint_before
        assert bm25_fingerprint(index) == fingerprint([c.chunk_id for c in index.chunks])
        assert set(index.keywords.chunk_ids) == {c.chunk_id for c in index.chunks}
        assert index.keywords.scores("11.2万").max() > 0
        assert index.keywords.scores("10.5万").max() == 0
    finally:
        index.store.delete(ids_of(index, "other_district_2023"))
        index.ingest([DEFAULT_REPORT])
    assert {c.chunk_id: c for c in index.chunks} == original


def test_bm25_is_rebuilt_only_when_the_chunk_set_changes(tmp_path: Path) -> None:
    tokenizer = ChineseTokenizer(load_vocabulary())
    ids, texts = ["a", "b"], ["新建1270个5G基站。", "优良天数达到244天。"]
    KeywordIndex.build(ids, texts, tokenizer).save(tmp_path / "bm25")

    same = KeywordIndex.load(tmp_path / "bm25", tokenizer, ["b", "a"])  # the same set, in any order
    assert same is not None and same.chunk_ids == ids
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ["a", "b", "c"]) is None
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ["a"]) is None
    assert KeywordIndex.load(tmp_path / "missing", tokenizer, ids) is None
    (tmp_path / "bm25" / "chunk_ids.json").write_text("{broken")
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ids) is None


def test_bm25_scores_follow_chunk_order_and_ignore_unknown_words(tmp_path: Path) -> None:
    tokenizer = ChineseTokenizer(load_vocabulary())
    keywords = KeywordIndex.build(["a", "b"], ["新建1270个5G基站。", "优良天数达到244天。"], tokenizer)
    scores = keywords.scores("5G基站有多少")
    assert scores[0] > 0 == scores[1]
    assert keywords.scores("完全无关的词语").tolist() == [0.0, 0.0]


def test_an_empty_store_says_how_to_fill_it(settings: Settings, tmp_path: Path) -> None:
    empty = settings.with_(index_dir=tmp_path, collection="empty")
    with pytest.raises(EmptyIndexError, match="reportqa ingest"):
        Index.open(empty, sync=False).reload()


def test_chroma_clients_are_shared_per_path(tmp_path: Path) -> None:
    assert chroma_client(tmp_path) is chroma_client(tmp_path / "sub" / "..")
    store = VectorStore(chroma_client(tmp_path), "probe")
    assert store.count() == 0 and store.ids_of_document("nothing") == set()

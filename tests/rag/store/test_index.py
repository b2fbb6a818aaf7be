"""The index stays in step with the report files: stable ids, no duplicates, changed files replaced, BM25 rebuilt.

Vectors come from tests/fakes.py's FakeEmbedder (real Chroma, real BM25): what is tested here is
bookkeeping, which does not depend on the model. Tests that change an index build their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from ingest import DocumentError, load_chunks
from ingest.load import read_report
from rag.settings import DEFAULT_REPORT, Settings
from rag.store.chroma import StoreError, VectorStore, chroma_client
from rag.store.generations import Generations
from rag.store.index import EmptyIndexError, Index
from rag.store.keywords import KeywordIndex, fingerprint
from rag.text.tokenize import ChineseTokenizer
from tests.fakes import FakeEmbedder

EDITED_FROM, EDITED_TO = "粮食总产量达到10.5万吨", "粮食总产量达到11.2万吨"
REMOVED = "区域粮食储备安全，初步构建起覆盖全区的粮食应急供应保障体系。"
OTHER_REPORT = "二、2023年主要工作安排\n\n新建口袋公园9处，新增绿道10公里。\n"


def in_raw(clean: str) -> re.Pattern:
    """A cleaned phrase as it stands in the raw extraction: any spaces and line breaks between characters."""
    return re.compile(r"\s*".join(map(re.escape, clean)))


def bm25_fingerprint(index: Index) -> str:
    return json.loads((index._keyword_folder() / "chunk_ids.json").read_text())["fingerprint"]


def ids_of(index: Index, doc_id: str) -> set[str]:
    return {c.chunk_id for c in index.chunks if c.doc_id == doc_id}


@pytest.fixture
def own_index(build_fake_index, tmp_path: Path) -> Index:
    """A fresh index of the whole report that a test may change."""
    return build_fake_index(tmp_path / "index")


# --------------------------------------------------------------------------- building and re-ingesting


def test_the_index_holds_exactly_the_reports_chunks_in_both_stores(fake_index: Index) -> None:
    expected = load_chunks(DEFAULT_REPORT)
    assert fake_index.store.count() == len(expected) > 200
    assert fake_index.embedder.passages_embedded == len(expected)  # each chunk embedded once
    assert fake_index.chunks == expected  # text, context, section, page, year and order survive Chroma
    assert fake_index.keywords.chunk_ids == [c.chunk_id for c in expected]
    assert fake_index.report_year == 2023


def test_reingesting_the_same_file_embeds_nothing_and_keeps_ids(fake_index: Index) -> None:
    before = [c.chunk_id for c in fake_index.chunks]
    embedded_before = fake_index.embedder.passages_embedded
    fingerprint_before = bm25_fingerprint(fake_index)

    (first,) = fake_index.ingest([DEFAULT_REPORT])
    (second,) = fake_index.ingest([DEFAULT_REPORT])

    for report in (first, second):
        assert (report.doc_id, report.added, report.removed, report.kept) == ("lichengqu_2023_report", 0, 0, len(before))
    assert fake_index.embedder.passages_embedded == embedded_before
    assert [c.chunk_id for c in fake_index.chunks] == before
    assert fake_index.store.count() == len(before)
    assert bm25_fingerprint(fake_index) == fingerprint_before


def test_reopening_the_index_embeds_nothing_and_reuses_the_saved_bm25(
    fake_index: Index, fake_settings: Settings, tokenizer: ChineseTokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(KeywordIndex, "build", classmethod(lambda cls, *args: pytest.fail("rebuilt BM25")))
    monkeypatch.setattr("rag.store.index.ChineseTokenizer", lambda vocabulary: tokenizer)  # saves reloading jieba
    embedder = FakeEmbedder()
    reopened = Index.open(fake_settings, embedder=embedder)  # sync=True: checks the report against the store
    assert embedder.passages_embedded == 0
    assert reopened.chunks == fake_index.chunks
    assert reopened.keywords.chunk_ids == fake_index.keywords.chunk_ids


def test_a_process_with_another_model_ranks_by_keywords_alone_and_says_why(
    fake_index: Index, fake_settings: Settings, tokenizer: ChineseTokenizer, caplog: pytest.LogCaptureFixture
) -> None:
    from rag.retrieval.retriever import RetrievalConfig, Retriever

    other = FakeEmbedder(name="another-model")  # its question vectors mean nothing against the stored ones
    replica = Index(fake_settings, fake_index.generations, other, tokenizer)  # no sync: a replica only reads

    assert replica.model_mismatch == (
        f"the stored vectors were written by {FakeEmbedder.name}, this process embeds with another-model"
    )
    assert "answering from keywords alone" in caplog.text
    passages = Retriever(replica).retrieve("2022年新增了多少学位", k=5)
    by_keywords = Retriever(fake_index, RetrievalConfig(mode="keyword")).retrieve("2022年新增了多少学位", k=5)
    assert [p.chunk_id for p in passages] == [p.chunk_id for p in by_keywords] and all(p.degraded for p in passages)
    assert other.queries_embedded == 0
    with pytest.raises(StoreError, match="another-model"):
        Retriever(replica, RetrievalConfig(mode="dense")).retrieve("2022年新增了多少学位", k=5)
    assert fake_index.model_mismatch == ""


def test_a_lost_bm25_index_is_rebuilt_from_the_stored_chunks(fake_index: Index) -> None:
    (fake_index._keyword_folder() / "chunk_ids.json").unlink()
    fake_index.reload()
    assert fake_index.keywords.chunk_ids == [c.chunk_id for c in fake_index.chunks]
    assert bm25_fingerprint(fake_index) == fingerprint(fake_index.keywords.chunk_ids, fake_index.tokenizer.signature)  # saved
    assert fake_index.keywords.scores("5G基站").max() > 0


def test_a_changed_copy_replaces_the_old_chunks_of_that_document(own_index: Index, tmp_path: Path) -> None:
    original = {c.chunk_id: c for c in own_index.chunks}
    other = tmp_path / "other_district_2023.txt"
    other.write_text(OTHER_REPORT, encoding="utf-8")
    raw = read_report(DEFAULT_REPORT)
    changed_raw, edits = in_raw(EDITED_FROM).subn(EDITED_TO, raw)
    changed_raw, removals = in_raw(REMOVED).subn("", changed_raw)
    assert (edits, removals) == (1, 1)
    changed = tmp_path / DEFAULT_REPORT.name  # same stem: the same document, a new version
    changed.write_text(changed_raw, encoding="utf-8")
    expected = load_chunks(changed)

    own_index.ingest([other])
    other_ids = ids_of(own_index, "other_district_2023")
    assert len(other_ids) == 1
    fingerprint_before = bm25_fingerprint(own_index)
    embedded_before = own_index.embedder.passages_embedded

    (report,) = own_index.ingest([changed])

    now = {c.chunk_id: c for c in own_index.chunks if c.doc_id == "lichengqu_2023_report"}
    old_ids, new_ids = set(original) - set(now), set(now) - set(original)
    assert now == {c.chunk_id: c for c in expected}  # ids, text, context, order, page: all current
    # Only chunks of the edited paragraph are replaced (at 80 characters: the edited one and the removed one).
    (edited,) = [c for c in original.values() if EDITED_FROM in c.text]
    assert old_ids and {original[i].section for i in old_ids} == {edited.section}
    assert new_ids and {now[i].section for i in new_ids} == {edited.section}
    assert any(EDITED_TO in now[i].text for i in new_ids)
    assert (report.removed, report.added, report.kept) == (len(old_ids), len(new_ids), len(expected) - len(new_ids))
    assert own_index.embedder.passages_embedded - embedded_before == len(new_ids)  # only the new chunks
    assert not [c for c in own_index.chunks if REMOVED in c.text or REMOVED in c.context or EDITED_FROM in c.context]
    assert own_index.store.count() == len(expected) + len(other_ids)
    assert ids_of(own_index, "other_district_2023") == other_ids  # the other document is untouched
    # BM25 was rebuilt for the new chunk set: it finds the edited figure, not the old one.
    assert bm25_fingerprint(own_index) != fingerprint_before
    assert bm25_fingerprint(own_index) == fingerprint([c.chunk_id for c in own_index.chunks], own_index.tokenizer.signature)
    assert own_index.keywords.scores("11.2万").max() > 0
    assert own_index.keywords.scores("10.5万").max() == 0


def test_an_unusable_file_is_refused_and_the_index_keeps_what_it_had(fake_index: Index, tmp_path: Path) -> None:
    before = list(fake_index.chunks)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DocumentError, match="empty"):
        fake_index.ingest([empty])
    assert fake_index.chunks == before
    assert fake_index.store.count() == len(before)


# --------------------------------------------------------------------------- the vector store


def test_a_chunks_own_text_is_its_nearest_neighbour_with_cosine_one(fake_index: Index) -> None:
    chunk = fake_index.chunks[40]
    vector = FakeEmbedder().embed_passages([chunk.embedding_text])[0]
    nearest = fake_index.store.nearest(vector, 3)
    assert [chunk_id for chunk_id, _ in nearest][0] == chunk.chunk_id
    assert nearest[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [similarity for _, similarity in nearest] == sorted((s for _, s in nearest), reverse=True)


def test_asking_for_more_neighbours_than_chunks_returns_them_all(tmp_path: Path) -> None:
    store = VectorStore(chroma_client(tmp_path), "small")
    assert store.nearest(np.ones(4, dtype=np.float32) / 2, 5) == []  # an empty store: nothing, and no error
    chunks = load_chunks(DEFAULT_REPORT)[:3]
    embedder = FakeEmbedder(dimension=4)
    store.add(chunks, embedder.embed_passages([c.embedding_text for c in chunks]))
    assert {chunk_id for chunk_id, _ in store.nearest(embedder.embed_queries(["学位"])[0], 10)} == {c.chunk_id for c in chunks}


def test_chroma_clients_are_shared_per_path(tmp_path: Path) -> None:
    assert chroma_client(tmp_path) is chroma_client(tmp_path / "sub" / "..")
    assert chroma_client(tmp_path) is not chroma_client(tmp_path / "elsewhere")
    store = VectorStore(chroma_client(tmp_path), "probe")
    assert store.count() == 0 and store.all_chunks() == []
    assert (tmp_path / "chroma").is_dir()  # the embedded store lives in the index folder


def test_an_unreachable_chroma_server_is_a_store_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="127.0.0.1:9"):
        chroma_client(tmp_path, "http://127.0.0.1:9")  # the discard port: nothing listens there


def test_a_damaged_local_store_is_set_aside_and_rebuilt_from_the_report(
    fake_settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "chroma").mkdir()
    (tmp_path / "chroma" / "chroma.sqlite3").write_bytes(b"overwritten: not a database any more")
    with caplog.at_level("WARNING", logger="rag.store.chroma"):
        index = Index.open(fake_settings.with_(index_dir=tmp_path), embedder=FakeEmbedder())
    assert len(index.chunks) == len(load_chunks(DEFAULT_REPORT)) and index.facts
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "damaged" in warning.getMessage() and "rebuilding" in warning.getMessage()
    assert (tmp_path / "chroma.damaged" / "chroma.sqlite3").read_bytes().startswith(b"overwritten")  # kept to look at


def test_a_store_that_cannot_be_opened_for_another_reason_is_left_alone(tmp_path: Path) -> None:
    from rag.store.chroma import open_client

    (tmp_path / "chroma").write_text("a file where the store's folder should be")
    with pytest.raises(StoreError, match="cannot open the Chroma store"):
        open_client(tmp_path, "")
    assert (tmp_path / "chroma").read_text().startswith("a file") and not (tmp_path / "chroma.damaged").exists()


def test_an_empty_store_says_how_to_fill_it(fake_settings: Settings, tokenizer: ChineseTokenizer, tmp_path: Path) -> None:
    empty = fake_settings.with_(index_dir=tmp_path, collection="empty")
    index = Index(empty, Generations(chroma_client(tmp_path), "empty"), FakeEmbedder(), tokenizer)
    assert index.chunks == []
    with pytest.raises(EmptyIndexError, match="reportqa ingest") as caught:
        index.reload()
    assert str(tmp_path) in str(caught.value)


# --------------------------------------------------------------------------- the keyword index


def test_bm25_is_rebuilt_when_the_word_lists_change(tokenizer: ChineseTokenizer, tmp_path: Path) -> None:
    from rag.text.vocabulary import load_vocabulary

    ids, texts = ["a"], ["完成19处废弃矿山生态修复治理。"]
    KeywordIndex.build(ids, texts, tokenizer).save(tmp_path / "bm25")
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ids) is not None
    other = ChineseTokenizer(load_vocabulary())
    other.signature = tokenizer.signature + "+a new synonym"  # as after an edit of data/synonyms.toml
    assert KeywordIndex.load(tmp_path / "bm25", other, ids) is None
    assert ChineseTokenizer(load_vocabulary()).signature == tokenizer.signature  # the same words: the same signature


def test_bm25_is_rebuilt_only_when_the_chunk_set_changes(tokenizer: ChineseTokenizer, tmp_path: Path) -> None:
    ids, texts = ["a", "b"], ["新建1270个5G基站。", "优良天数达到244天。"]
    KeywordIndex.build(ids, texts, tokenizer).save(tmp_path / "bm25")

    same = KeywordIndex.load(tmp_path / "bm25", tokenizer, ["b", "a"])  # the same set, in any order
    assert same is not None and same.chunk_ids == ids
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ["a", "b", "c"]) is None
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ["a"]) is None
    assert KeywordIndex.load(tmp_path / "missing", tokenizer, ids) is None
    (tmp_path / "bm25" / "chunk_ids.json").write_text("{broken")
    assert KeywordIndex.load(tmp_path / "bm25", tokenizer, ids) is None


def test_a_saved_bm25_scores_exactly_as_the_one_it_was_saved_from(tokenizer: ChineseTokenizer, tmp_path: Path) -> None:
    built = KeywordIndex.build(["a", "b", "c"], ["新建1270个5G基站。", "优良天数达到244天。", "5G网络覆盖全区。"], tokenizer)
    built.save(tmp_path / "bm25")
    loaded = KeywordIndex.load(tmp_path / "bm25", tokenizer, ["a", "b", "c"])
    assert loaded is not None
    assert loaded.scores("5G基站").tolist() == built.scores("5G基站").tolist()


def test_bm25_scores_follow_chunk_order_and_ignore_unknown_words(tokenizer: ChineseTokenizer) -> None:
    keywords = KeywordIndex.build(["a", "b"], ["新建1270个5G基站。", "优良天数达到244天。"], tokenizer)
    scores = keywords.scores("5G基站有多少")
    assert scores[0] > 0 == scores[1]
    assert keywords.scores("优良天数").tolist()[1] > 0
    assert keywords.scores("完全无关的词语").tolist() == [0.0, 0.0]


def test_a_chunk_without_any_searchable_word_still_has_a_row(tokenizer: ChineseTokenizer) -> None:
    keywords = KeywordIndex.build(["a", "b"], ["新建1270个5G基站。", "请问，是什么？"], tokenizer)
    assert keywords.scores("基站").shape == (2,)
    assert keywords.scores("基站")[0] > 0


def test_the_content_version_names_the_chunks_and_where_they_stand(fake_index: Index) -> None:
    from dataclasses import replace

    from rag.store.index import content_version

    model = fake_index.embedder.identity
    assert fake_index.version == content_version(fake_index.chunks, model) and len(fake_index.version) == 40
    assert content_version(list(reversed(fake_index.chunks)), model) == fake_index.version  # order of reading: no matter
    moved = [replace(fake_index.chunks[0], page=fake_index.chunks[0].page + 1)] + fake_index.chunks[1:]
    assert content_version(moved, model) != fake_index.version  # a citation card would show another page
    assert content_version(fake_index.chunks[1:], model) != fake_index.version
    assert content_version(fake_index.chunks, "intfloat/multilingual-e5-small+int8") != fake_index.version

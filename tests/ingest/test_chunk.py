"""Chunks: runs of whole sentences that never cross a section, with ids that depend on content only."""

from __future__ import annotations

from ingest.chunk import DEFAULT_MAX_CHARS, SECTION_SEPARATOR, Chunk, chunk_id, chunk_sentences, pack_sentences
from ingest.clean import clean_paragraphs
from ingest.load import read_report
from ingest.sections import Sentence, outline, split_sentences
from rag.settings import DEFAULT_REPORT

SENTENCES = outline(clean_paragraphs(read_report(DEFAULT_REPORT)), 2023)
CHUNKS = chunk_sentences(SENTENCES, "lichengqu_2023_report")


def section_key(sentence: Sentence) -> str:
    return SECTION_SEPARATOR.join(sentence.section)


def chunk_with(words: str) -> Chunk:
    found = [c for c in CHUNKS if words in c.text]
    assert len(found) == 1, f"{words!r} is in {len(found)} chunks"
    return found[0]


def test_chunks_never_cross_a_section() -> None:
    # Every sentence of a chunk stands in the outline under the chunk's own section path.
    placed = {(section_key(s), s.text) for s in SENTENCES}
    strays = [(c.section, s) for c in CHUNKS for s in split_sentences(c.text) if (c.section, s) not in placed]
    assert strays == []


def test_a_chunks_context_is_the_run_of_its_section_in_its_paragraph() -> None:
    for c in CHUNKS:
        assert c.text in c.context
        assert c.context in "".join(s.text for s in SENTENCES if section_key(s) == c.section)


def test_chunks_cover_every_sentence_in_reading_order() -> None:
    assert "".join(c.text for c in CHUNKS) == "".join(s.text for s in SENTENCES)
    assert [c.order for c in CHUNKS] == list(range(len(CHUNKS)))


def test_chunks_hold_at_most_the_chunk_size_unless_one_sentence_is_longer() -> None:
    for c in CHUNKS:
        assert len(c.text) <= DEFAULT_MAX_CHARS or len(split_sentences(c.text)) == 1, c.text


def test_sentences_are_packed_greedily_and_a_long_one_stands_alone() -> None:
    assert pack_sentences(["一二三。", "四五。", "六七八九十。", "长" * 30 + "。", "末。"], 10) == [
        ["一二三。", "四五。"],
        ["六七八九十。"],
        ["长" * 30 + "。"],
        ["末。"],
    ]


def test_the_embedded_text_carries_the_section_path() -> None:
    c = chunk_with("新增学位1.7万个")
    assert c.embedding_text == f"{c.section}\n{c.text}"
    assert c.embedding_text.startswith("一、2022年工作回顾 > ")
    assert "公共服务体系更加健全" in c.embedding_text.split("\n")[0]


def test_sample_chunks_know_their_year_section_and_page() -> None:
    school_places = chunk_with("新增学位1.7万个")
    assert (school_places.year, school_places.page) == (2022, 10)
    assert "一、2022年工作回顾" in school_places.section and "公共服务体系更加健全" in school_places.section

    new_schools = chunk_with("新建改扩建中小学、幼儿园12所")
    assert (new_schools.year, new_schools.page) == (2023, 23)
    part, area, topic = new_schools.section.split(SECTION_SEPARATOR)
    assert (part, topic) == ("二、2023年主要工作安排", "办好人民满意教育")
    assert area.startswith("（六）增进民生福祉")

    assert chunk_with("新动能支撑力不强").year == 2022
    assert chunk_with("持续激发线上线下消费活力").page == 15


def test_part_three_chunks_are_2023() -> None:
    part_three = [c for c in CHUNKS if c.section.startswith("三、")]
    assert part_three and {c.year for c in part_three} == {2023}


def test_chunk_ids_depend_only_on_document_section_and_text() -> None:
    again = chunk_sentences(outline(clean_paragraphs(read_report(DEFAULT_REPORT)), 2023), "lichengqu_2023_report")
    assert [c.chunk_id for c in again] == [c.chunk_id for c in CHUNKS]
    c = CHUNKS[40]
    assert c.chunk_id == chunk_id(c.doc_id, c.section, c.text)
    assert chunk_id("other_report", c.section, c.text) != c.chunk_id
    assert chunk_id(c.doc_id, "another section", c.text) != c.chunk_id
    assert len(c.chunk_id) == 16 and int(c.chunk_id, 16) >= 0


def test_chunk_ids_are_unique() -> None:
    assert len({c.chunk_id for c in CHUNKS}) == len(CHUNKS)


def test_the_same_words_twice_in_one_section_make_one_chunk() -> None:
    section = ("二、2023年主要工作安排", "（一）坚决拉高标杆，推进经济高质量发展", "扩大有效投资")
    twice = [Sentence("扩大有效投资。" + "很长的句子" * 20 + "。", section, 14, 2023, paragraph) for paragraph in (0, 1)]
    chunks = chunk_sentences(twice, "doc")
    assert len(chunks) == 1

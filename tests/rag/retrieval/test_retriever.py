"""Retrieval on the real index: filled passages, the year asked about first, synonyms, clear errors."""

from __future__ import annotations

import re

import pytest
from llama_index.core.schema import NodeWithScore, QueryBundle

from rag.questions import MAX_K, MAX_QUESTION_CHARS, QuestionError, check_question
from rag.retrieval.retriever import RetrievalConfig, Retriever
from rag.types import Passage

SCHOOL_PLACES_2022 = "新增学位1.7万个"
NEW_SCHOOLS_2023 = "新建改扩建中小学、幼儿园12所"
PARTS = ("开篇", "一、2022年工作回顾", "二、2023年主要工作安排", "三、全面加强政府自身建设")


def rank_of(words: str, passages: list[Passage]) -> int | None:
    return next((n for n, p in enumerate(passages, start=1) if words in p.text), None)


# --------------------------------------------------------------------------- passages


def test_passages_have_every_field_filled(retriever: Retriever) -> None:
    passages = retriever.retrieve("2022年新增了多少学位", k=5)
    assert len(passages) == 5
    for p in passages:
        assert re.fullmatch(r"[0-9a-f]{16}", p.chunk_id)
        assert p.text and p.text in p.context
        assert p.section.startswith(PARTS)
        assert 1 <= p.page <= 30
        assert p.year in (2022, 2023)
        assert isinstance(p.score, float) and p.score > 0
        assert p.doc_id == "lichengqu_2023_report"
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert len({p.chunk_id for p in passages}) == 5


def test_the_passage_knows_where_it_stands_in_the_report(retriever: Retriever) -> None:
    top = retriever.retrieve("2022年新增了多少学位", k=5)[0]
    assert SCHOOL_PLACES_2022 in top.text
    assert (top.page, top.year) == (10, 2022)
    assert top.section.startswith("一、2022年工作回顾 > ") and top.section.endswith("公共服务体系更加健全")


@pytest.mark.parametrize("k", [1, 3, 12, MAX_K])
def test_k_passages_are_returned(retriever: Retriever, k: int) -> None:
    assert len(retriever.retrieve("历城去年GDP多少", k=k)) == k


# --------------------------------------------------------------------------- the year asked about


def test_a_2022_question_ranks_the_2022_passage_first(retriever: Retriever) -> None:
    passages = retriever.retrieve("2022年新增了多少学位", k=5)
    assert passages[0].year == 2022 and SCHOOL_PLACES_2022 in passages[0].text
    assert rank_of(NEW_SCHOOLS_2023, passages) is not None  # the other year is not hidden


@pytest.mark.parametrize("question", ["今年计划新建多少所学校", "2023年新增学位多少"])
def test_a_2023_question_ranks_a_2023_passage_first(retriever: Retriever, question: str) -> None:
    passages = retriever.retrieve(question, k=5)
    assert passages[0].year == 2023
    assert NEW_SCHOOLS_2023 in passages[0].text
    assert rank_of(SCHOOL_PLACES_2022, passages) is not None  # the 2022 figure stays reachable


def test_relative_years_are_read_against_the_indexed_report(retriever: Retriever) -> None:
    assert retriever.index.report_year == 2023
    assert retriever.understand("去年历城GDP多少").year == 2022
    assert retriever.understand("今年历城GDP目标多少").year == 2023


def test_without_a_year_both_years_are_offered(retriever: Retriever) -> None:
    passages = retriever.retrieve("新增学位多少", k=5)
    assert {2022, 2023} <= {p.year for p in passages}


def test_the_year_preference_can_be_switched_off(retriever: Retriever) -> None:
    plain = Retriever(retriever.index, RetrievalConfig(year_boost=0.0))
    question = retriever.understand("2023年新增学位多少")
    boosted = retriever.retrieve_query(question, k=5)
    unboosted = plain.retrieve_query(question, k=5)
    year_share = lambda ps: sum(p.score for p in ps if p.year == 2023) / sum(p.score for p in ps)  # noqa: E731
    assert year_share(boosted) > year_share(unboosted)


def test_only_year_keeps_just_that_years_passages(retriever: Retriever) -> None:
    passages = retriever.retrieve_query(retriever.understand("新增学位多少"), k=5, only_year=2023)
    assert passages and {p.year for p in passages} == {2023}


# --------------------------------------------------------------------------- synonyms


@pytest.mark.parametrize(
    "question, evidence",
    [
        ("历城去年修了多少厕所", "新建、提升20处公厕"),
        ("地铁修得怎么样了", "区域内6条轨道交通线"),
    ],
)
def test_bm25_with_expansion_finds_evidence_that_shares_no_word_with_the_question(
    retriever: Retriever, question: str, evidence: str
) -> None:
    tokenize = retriever.index.tokenizer.tokenize
    (chunk,) = [c for c in retriever.index.chunks if evidence in c.text]
    assert not set(tokenize(question)) & set(tokenize(chunk.embedding_text))  # not one word in common

    expanded = Retriever(retriever.index, RetrievalConfig(mode="keyword", expand_terms=True))
    literal = Retriever(retriever.index, RetrievalConfig(mode="keyword", expand_terms=False))

    assert rank_of(evidence, expanded.retrieve(question, k=5)) is not None
    assert rank_of(evidence, literal.retrieve(question, k=5)) is None


def test_a_citizens_word_finds_the_reports_term_in_hybrid_retrieval(retriever: Retriever) -> None:
    passages = retriever.retrieve("去年建了多少养老院", k=5)
    assert rank_of("日间照料中心", passages) is not None


# --------------------------------------------------------------------------- other languages


def test_an_english_question_returns_passages(retriever: Retriever) -> None:
    question = "How many new school places were added in 2022?"
    passages = retriever.retrieve(question, k=5)
    assert len(passages) == 5
    assert all(p.text and p.score > 0 for p in passages)
    assert retriever.understand(question).year == 2022  # "2022" still names the year


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "question, says",
    [
        ("", "empty"),
        ("   \n\t\u3000 ", "empty"),
        ("学" * 10_000, f"limit is {MAX_QUESTION_CHARS}"),
        ("x" * (MAX_QUESTION_CHARS + 1), f"limit is {MAX_QUESTION_CHARS}"),
        ("？？！。，……", "no words"),
        ("😀🎉👍", "no words"),
        ("?!... ---", "no words"),
        (None, "string"),
        (42, "string"),
    ],
)
def test_bad_questions_get_a_readable_question_error(retriever: Retriever, question: object, says: str) -> None:
    with pytest.raises(QuestionError) as caught:
        retriever.retrieve(question, k=5)
    message = str(caught.value)
    assert says in message
    assert re.search(r"[\u4e00-\u9fff]", message) and " / " in message  # Chinese for citizens, English for developers
    assert len(message) < 200


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 10**9, 2.5, "5", True, None])
def test_k_out_of_range_is_a_question_error(retriever: Retriever, k: object) -> None:
    with pytest.raises(QuestionError, match=f"1 到 {MAX_K}"):
        retriever.retrieve("历城去年GDP多少", k=k)


def test_a_question_at_the_length_limit_is_accepted() -> None:
    assert check_question("学" * MAX_QUESTION_CHARS) == "学" * MAX_QUESTION_CHARS


def test_surrounding_whitespace_is_stripped() -> None:
    assert check_question("  历城去年GDP多少？ \n") == "历城去年GDP多少？"


def test_question_errors_are_value_errors() -> None:
    assert issubclass(QuestionError, ValueError)  # the CLI and the HTTP API turn them into a message


# --------------------------------------------------------------------------- llama-index


def test_the_llamaindex_adapter_returns_nodes_with_section_page_and_year(retriever: Retriever) -> None:
    adapter = retriever.as_llamaindex()
    nodes = adapter.retrieve("2022年新增了多少学位")
    passages = retriever.retrieve("2022年新增了多少学位", k=5)

    assert all(isinstance(n, NodeWithScore) for n in nodes)
    assert [n.node.node_id for n in nodes] == [p.chunk_id for p in passages]
    assert [n.score for n in nodes] == [p.score for p in passages]
    for node, passage in zip(nodes, passages):
        assert node.node.get_content() == passage.text
        assert {k: node.node.metadata[k] for k in ("section", "page", "year")} == {
            "section": passage.section,
            "page": passage.page,
            "year": passage.year,
        }
        assert "context" not in node.node.get_content(metadata_mode="llm")


def test_the_llamaindex_adapter_takes_a_query_bundle(retriever: Retriever) -> None:
    nodes = retriever.as_llamaindex().retrieve(QueryBundle("去年GDP多少"))
    assert any("地区生产总值1265亿元" in n.node.get_content() for n in nodes)


def test_the_llamaindex_adapter_passes_bad_questions_on_as_question_errors(retriever: Retriever) -> None:
    with pytest.raises(QuestionError):
        retriever.as_llamaindex().retrieve("   ")

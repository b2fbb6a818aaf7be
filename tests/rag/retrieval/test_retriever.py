"""Retrieval: filled passages, the year asked about preferred, synonyms, fusion modes, clear errors.

Mechanics run on the fake index (tests/fakes.py: real Chroma and BM25, vectors that need no model);
what the ranking of the real model must achieve is at the end, on the real index.
"""

from __future__ import annotations

import re

import pytest

from rag.questions import MAX_K, MAX_QUESTION_CHARS, QuestionError, check_question
from rag.retrieval.retriever import RetrievalConfig, Retriever
from rag.types import Passage

SCHOOL_PLACES_2022 = "新增学位1.7万个"
NEW_SCHOOLS_2023 = "新建改扩建中小学、幼儿园12所"
PARTS = ("开篇", "一、2022年工作回顾", "二、2023年主要工作安排", "三、全面加强政府自身建设")


def rank_of(words: str, passages: list[Passage]) -> int | None:
    return next((n for n, p in enumerate(passages, start=1) if words in p.text), None)


def with_config(retriever: Retriever, **changes) -> Retriever:
    return Retriever(retriever.index, RetrievalConfig(**changes))


# --------------------------------------------------------------------------- passages


def test_passages_have_every_field_filled(fake_retriever: Retriever) -> None:
    passages = fake_retriever.retrieve("2022年新增了多少学位", k=5)
    assert len(passages) == 5
    for p in passages:
        assert re.fullmatch(r"[0-9a-f]{16}", p.chunk_id)
        assert p.text and p.text in p.context
        assert p.section.startswith(PARTS)
        assert 1 <= p.page <= 30
        assert p.year in (2022, 2023)
        assert p.score > 0 and p.dense_score > 0
        assert p.doc_id == "lichengqu_2023_report"
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert len({p.chunk_id for p in passages}) == 5


def test_a_passage_carries_its_chunks_text_paragraph_section_page_and_year(fake_retriever: Retriever) -> None:
    for p in fake_retriever.retrieve("新增学位多少", k=10):
        chunk = fake_retriever.index.by_id[p.chunk_id]
        assert (p.text, p.context, p.section, p.page, p.year, p.doc_id) == (
            chunk.text,
            chunk.context,
            chunk.section,
            chunk.page,
            chunk.year,
            chunk.doc_id,
        )


@pytest.mark.parametrize(
    "k",
    # MAX_K (50) is more than each search's usual 40 candidates: the searches widen to k.
    [1, 3, 12, MAX_K],
)
def test_k_passages_are_returned(fake_retriever: Retriever, k: int) -> None:
    assert len(fake_retriever.retrieve("历城去年GDP多少", k=k)) == k


def test_without_k_the_configured_top_k_is_returned(fake_retriever: Retriever) -> None:
    assert fake_retriever.index.settings.top_k == 5
    assert len(fake_retriever.retrieve("历城去年GDP多少")) == 5


# --------------------------------------------------------------------------- the year asked about


def test_relative_years_are_read_against_the_indexed_report(fake_retriever: Retriever) -> None:
    assert fake_retriever.index.report_year == 2023
    assert fake_retriever.understand("去年历城GDP多少").year == 2022
    assert fake_retriever.understand("今年历城GDP目标多少").year == 2023


def test_passages_of_the_year_asked_about_score_one_and_a_half_times(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("2023年新增学位多少")
    boosted = {p.chunk_id: p for p in fake_retriever.retrieve_query(question, k=MAX_K)}
    plain = {p.chunk_id: p for p in with_config(fake_retriever, year_boost=0.0).retrieve_query(question, k=MAX_K)}
    both = boosted.keys() & plain.keys()
    assert {boosted[i].year for i in both} == {2022, 2023}
    for i in both:
        factor = 1.5 if boosted[i].year == 2023 else 1.0
        assert boosted[i].score == pytest.approx(plain[i].score * factor, abs=1e-5)


def test_the_year_preference_lifts_the_asked_years_share_of_the_top_passages(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("2023年新增学位多少")
    boosted = fake_retriever.retrieve_query(question, k=5)
    unboosted = with_config(fake_retriever, year_boost=0.0).retrieve_query(question, k=5)
    year_share = lambda ps: sum(p.score for p in ps if p.year == 2023) / sum(p.score for p in ps)  # noqa: E731
    assert year_share(boosted) > year_share(unboosted)


def test_a_question_without_a_year_gets_no_preference(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("新增学位多少")
    assert question.year is None
    preferring = fake_retriever.retrieve_query(question, k=10)
    neutral = with_config(fake_retriever, year_boost=0.0).retrieve_query(question, k=10)
    assert preferring == neutral


@pytest.mark.parametrize(
    "question, setting, holds, factor, answer",
    [
        ("新增学位多少", "figure_boost", r"\d", 1.2, "新增学位1.7万个"),
        # "多少张": of the passages on elderly care, the one counting 张 (beds) is the one that answers.
        ("去年新增了多少张家庭养老床位", "unit_boost", r"\d+张", 1.4, "家庭养老床位150张"),
    ],
)
def test_passages_holding_the_kind_of_figure_asked_for_score_more(
    fake_retriever: Retriever, question: str, setting: str, holds: str, factor: float, answer: str
) -> None:
    understood = fake_retriever.understand(question)
    preferring = {p.chunk_id: p for p in fake_retriever.retrieve_query(understood, k=MAX_K)}
    plain = {p.chunk_id: p for p in with_config(fake_retriever, **{setting: 0.0}).retrieve_query(understood, k=MAX_K)}
    both = preferring.keys() & plain.keys()
    holding = {i for i in both if re.search(holds, plain[i].text)}
    assert any(answer in plain[i].text for i in holding) and both - holding
    for i in both:
        expected = plain[i].score * (factor if i in holding else 1.0)
        assert preferring[i].score == pytest.approx(expected, abs=1e-5)


def test_a_question_that_asks_no_figure_gets_no_figure_preference(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("新建了哪些学校")
    assert fake_retriever.retrieve_query(question, k=10) == with_config(fake_retriever, figure_boost=0.0).retrieve_query(
        question, k=10
    )


def test_a_passage_holding_a_figure_the_citizen_quotes_scores_more(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("去年新建了44条市政道路吗？")
    assert question.quoted_figures == ("44条",)
    quoted = {p.chunk_id: p for p in fake_retriever.retrieve_query(question, k=MAX_K)}
    plain = {p.chunk_id: p for p in with_config(fake_retriever, quoted_figure_boost=0.0).retrieve_query(question, k=MAX_K)}
    holder = next(i for i, p in plain.items() if "44条市政道路" in p.text)
    assert quoted[holder].score == pytest.approx(plain[holder].score * 1.6, abs=1e-5)
    assert all(
        quoted[i].score == pytest.approx(p.score, abs=1e-5) for i, p in plain.items() if "44条" not in p.text and i in quoted
    )


def test_a_figure_quoted_in_a_question_naming_two_years_moves_no_passage(fake_retriever: Retriever) -> None:
    # "今年要修45公里 去年是不是也修了45公里": the figure is the other year's, so it says nothing of where the answer is.
    question = fake_retriever.understand("今年新建44条市政道路 那去年也是44条吗？")
    assert question.contrasts_years and question.quoted_figures
    assert fake_retriever.retrieve_query(question, k=MAX_K) == with_config(
        fake_retriever, quoted_figure_boost=0.0, switched_year_boost=2.0
    ).retrieve_query(question, k=MAX_K)


def test_a_question_that_switches_year_prefers_the_new_year_three_times(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("今年新增学位多少 那去年呢？")
    assert question.year == 2022 and question.contrasts_years
    switched = {p.chunk_id: p for p in fake_retriever.retrieve_query(question, k=MAX_K)}
    plain = {
        p.chunk_id: p
        for p in with_config(fake_retriever, year_boost=0.0, switched_year_boost=0.0).retrieve_query(question, k=MAX_K)
    }
    both = switched.keys() & plain.keys()
    assert {switched[i].year for i in both} == {2022, 2023}
    for i in both:
        factor = 3.0 if switched[i].year == 2022 else 1.0
        assert switched[i].score == pytest.approx(plain[i].score * factor, abs=1e-5)


def test_a_chunk_that_is_only_a_heading_or_lead_in_scores_less(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("今年主要预期目标是什么")
    weighed = {p.chunk_id: p for p in fake_retriever.retrieve_query(question, k=MAX_K)}
    plain = {p.chunk_id: p for p in with_config(fake_retriever, non_answer_weight=1.0).retrieve_query(question, k=MAX_K)}
    lead_in = next(i for i, p in plain.items() if p.text.strip() == "今年全区经济社会发展的主要预期目标是：")
    assert weighed[lead_in].score == pytest.approx(plain[lead_in].score * 0.6, abs=1e-5)
    answers = [i for i, p in plain.items() if "增长" in p.text and i in weighed]
    assert answers and all(weighed[i].score == pytest.approx(plain[i].score, abs=1e-5) for i in answers)


def test_without_surface_cues_neither_figures_nor_headings_move_a_passage(fake_retriever: Retriever) -> None:
    # The answer engine reads kinds and headings itself: it asks for the ranking without these cues.
    question = fake_retriever.understand("今年主要预期目标有几项")
    plain = with_config(
        fake_retriever, figure_boost=0.0, non_answer_weight=1.0, quoted_figure_boost=0.0, unit_boost=0.0
    ).retrieve_query(question, k=10)
    assert fake_retriever.retrieve_query(question, k=10, surface_cues=False) == plain
    assert fake_retriever.retrieve_query(question, k=10) != plain


def test_only_year_keeps_just_that_years_passages(fake_retriever: Retriever) -> None:
    question = fake_retriever.understand("新增学位多少")
    for year in (2022, 2023):
        passages = fake_retriever.retrieve_query(question, k=5, only_year=year)
        assert len(passages) == 5 and {p.year for p in passages} == {year}


# --------------------------------------------------------------------------- modes and synonyms


def test_keyword_mode_uses_no_vectors_and_dense_mode_no_keywords(fake_retriever: Retriever) -> None:
    question = "2022年新建了多少5G基站"
    keyword = with_config(fake_retriever, mode="keyword").retrieve(question, k=5)
    dense = with_config(fake_retriever, mode="dense").retrieve(question, k=5)
    assert keyword and all(p.dense_score == 0 and p.keyword_score > 0 for p in keyword)
    assert dense and all(p.keyword_score == 0 and p.dense_score > 0 for p in dense)
    hybrid = fake_retriever.retrieve(question, k=5)
    assert any(p.dense_score > 0 and p.keyword_score > 0 for p in hybrid)


def test_reciprocal_rank_fusion_scores_by_rank_alone(fake_retriever: Retriever) -> None:
    passages = with_config(fake_retriever, fusion="rrf", year_boost=0.0, figure_boost=0.0).retrieve("2022年新建了多少5G基站", k=5)
    assert len(passages) == 5
    # At best first in both rankings: 2 / (60 + 1).
    assert all(0 < p.score <= 2 / 61 + 1e-6 for p in passages)


def test_a_question_with_no_known_word_still_gets_dense_passages(fake_retriever: Retriever) -> None:
    question = "qwerty zxcvb"
    assert fake_retriever.index.keywords.scores(fake_retriever.understand(question).search_text).max() == 0
    passages = fake_retriever.retrieve(question, k=5)
    assert len(passages) == 5 and all(p.keyword_score == 0 and p.dense_score > 0 for p in passages)


@pytest.mark.parametrize(
    "question, evidence",
    [
        ("历城去年修了多少厕所", "新建、提升20处公厕"),
        ("地铁修得怎么样了", "区域内6条轨道交通线"),
    ],
)
def test_bm25_with_expansion_finds_evidence_that_shares_no_word_with_the_question(
    fake_retriever: Retriever, question: str, evidence: str
) -> None:
    tokenize = fake_retriever.index.tokenizer.tokenize
    (chunk,) = [c for c in fake_retriever.index.chunks if evidence in c.text]
    assert not set(tokenize(question)) & set(tokenize(chunk.embedding_text))  # not one word in common

    expanded = with_config(fake_retriever, mode="keyword", expand_terms=True)
    literal = with_config(fake_retriever, mode="keyword", expand_terms=False)

    assert rank_of(evidence, expanded.retrieve(question, k=5)) is not None
    assert rank_of(evidence, literal.retrieve(question, k=5)) is None


def test_the_reports_terms_widen_the_keyword_search_and_the_dense_search_reads_the_question(
    fake_retriever: Retriever, monkeypatch
) -> None:
    question = "历城去年修了多少厕所"
    query = fake_retriever.understand(question)
    assert query.official_terms  # 公厕
    embedded: list[str] = []
    embed = fake_retriever.index.embedder.embed_queries
    monkeypatch.setattr(fake_retriever.index.embedder, "embed_queries", lambda texts: embedded.extend(texts) or embed(texts))

    fake_retriever.retrieve(question, k=5)
    with_config(fake_retriever, expand_dense=True).retrieve(question, k=5)
    with_config(fake_retriever, mode="dense").retrieve(question, k=5)  # no keyword search to carry the terms

    assert embedded == [query.question, query.search_text, query.search_text]


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
def test_bad_questions_get_a_readable_question_error(fake_retriever: Retriever, question: object, says: str) -> None:
    with pytest.raises(QuestionError) as caught:
        fake_retriever.retrieve(question, k=5)
    message = str(caught.value)
    assert says in message
    assert re.search(r"[\u4e00-\u9fff]", message) and " / " in message  # Chinese for citizens, English for developers
    assert len(message) < 200


def test_a_bad_question_is_refused_before_anything_is_embedded(fake_retriever: Retriever) -> None:
    embedded = fake_retriever.index.embedder.queries_embedded
    with pytest.raises(QuestionError):
        fake_retriever.retrieve("？？", k=5)
    assert fake_retriever.index.embedder.queries_embedded == embedded
    fake_retriever.retrieve("去年GDP多少", k=5)
    assert fake_retriever.index.embedder.queries_embedded == embedded + 1


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 10**9, 2.5, "5", True])
def test_k_out_of_range_is_a_question_error(fake_retriever: Retriever, k: object) -> None:
    with pytest.raises(QuestionError, match=f"1 到 {MAX_K}"):
        fake_retriever.retrieve("历城去年GDP多少", k=k)


def test_a_question_at_the_length_limit_is_accepted() -> None:
    assert check_question("学" * MAX_QUESTION_CHARS) == "学" * MAX_QUESTION_CHARS


def test_surrounding_whitespace_is_stripped_before_searching(fake_retriever: Retriever) -> None:
    assert check_question("  历城去年GDP多少？ \n") == "历城去年GDP多少？"
    assert fake_retriever.retrieve("  去年GDP多少 \n", k=5) == fake_retriever.retrieve("去年GDP多少", k=5)


# --------------------------------------------------------------------------- llama-index


def test_the_llamaindex_adapter_returns_nodes_with_section_page_and_year(fake_retriever: Retriever) -> None:
    from llama_index.core.schema import NodeWithScore

    nodes = fake_retriever.as_llamaindex().retrieve("2022年新增了多少学位")
    passages = fake_retriever.retrieve("2022年新增了多少学位", k=5)

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
        # The paragraph travels in the metadata, but an LLM is shown the passage with its section, not the paragraph.
        assert node.node.metadata["context"] == passage.context
        shown = node.node.get_content(metadata_mode="llm")
        assert passage.text in shown and passage.section in shown
        assert "context" not in shown


def test_the_llamaindex_adapter_takes_a_query_bundle(fake_retriever: Retriever) -> None:
    from llama_index.core.schema import QueryBundle

    nodes = fake_retriever.as_llamaindex().retrieve(QueryBundle("去年GDP多少"))
    assert [n.node.node_id for n in nodes] == [p.chunk_id for p in fake_retriever.retrieve("去年GDP多少", k=5)]


def test_the_llamaindex_adapter_passes_bad_questions_on_as_question_errors(fake_retriever: Retriever) -> None:
    with pytest.raises(QuestionError, match="empty"):
        fake_retriever.as_llamaindex().retrieve("   ")


# --------------------------------------------------------------------------- the real model's ranking


def test_a_2022_question_ranks_the_2022_passage_first_with_its_place_in_the_report(retriever: Retriever) -> None:
    passages = retriever.retrieve("2022年新增了多少学位", k=5)
    top = passages[0]
    assert SCHOOL_PLACES_2022 in top.text
    assert (top.page, top.year) == (10, 2022)
    assert top.section.startswith("一、2022年工作回顾 > ") and top.section.endswith("公共服务体系更加健全")
    assert rank_of(NEW_SCHOOLS_2023, passages) is not None  # the other year is not hidden


def test_a_2023_question_ranks_a_2023_passage_first(retriever: Retriever) -> None:
    passages = retriever.retrieve("今年计划新建多少所学校", k=5)
    assert passages[0].year == 2023
    assert NEW_SCHOOLS_2023 in passages[0].text
    assert rank_of(SCHOOL_PLACES_2022, passages) is not None  # the 2022 figure stays reachable


def test_a_year_that_gives_no_such_figure_yields_first_place_to_the_year_that_does(retriever: Retriever) -> None:
    # The report counts 学位 only for 2022; for 2023 it plans schools. Both lead, the figure asked for first.
    passages = retriever.retrieve("2023年新增学位多少", k=5)
    assert SCHOOL_PLACES_2022 in passages[0].text
    assert passages[1].year == 2023 and NEW_SCHOOLS_2023 in passages[1].text


def test_without_a_year_both_years_are_offered(retriever: Retriever) -> None:
    passages = retriever.retrieve("新增学位多少", k=5)
    assert {2022, 2023} <= {p.year for p in passages}


def test_a_citizens_word_finds_the_reports_term_in_hybrid_retrieval(retriever: Retriever) -> None:
    passages = retriever.retrieve("去年建了多少养老院", k=5)
    assert rank_of("日间照料中心", passages) is not None


# --------------------------------------------------------------------------- when the vector store is down


def store_down(*_args, **_kwargs):
    from rag.store.chroma import StoreError

    raise StoreError("the Chroma store cannot be reached: connection refused")


def test_with_the_vector_store_down_passages_come_from_keywords_and_say_so(fake_retriever: Retriever, monkeypatch) -> None:
    keyword_only = with_config(fake_retriever, mode="keyword").retrieve("2022年新增了多少学位", k=5)
    monkeypatch.setattr(fake_retriever.index.store, "nearest", store_down)
    degraded = fake_retriever.retrieve("2022年新增了多少学位", k=5)
    assert [p.chunk_id for p in degraded] == [p.chunk_id for p in keyword_only]
    assert all(p.degraded for p in degraded) and not any(p.degraded for p in keyword_only)
    assert "新增学位1.7万个" in degraded[0].text


def test_the_dense_only_configuration_has_nothing_to_fall_back_on(fake_retriever: Retriever, monkeypatch) -> None:
    from rag.store.chroma import StoreError

    monkeypatch.setattr(fake_retriever.index.store, "nearest", store_down)
    with pytest.raises(StoreError, match="cannot be reached"):
        with_config(fake_retriever, mode="dense").retrieve("2022年新增了多少学位", k=5)


def test_the_question_is_searched_as_the_report_spells_it(fake_retriever: Retriever) -> None:
    # Traditional characters, a homophone typo and an English word, all read against the indexed report.
    query = fake_retriever.understand("歷成區去年新增学未多少？PCR核酸")
    assert "历城区" in query.question and "学位" in query.question and "PCR" not in query.question

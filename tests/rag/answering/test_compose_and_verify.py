"""Stages 5 and 6, compose and verify: the answer text, its labels and citations, and the trust rules."""

from __future__ import annotations

from rag.answering.compose import Claim, Draft
from rag.answering.verify import problems


def test_an_answer_leads_with_the_quote_labelled_with_its_year_and_cited(run) -> None:
    _, _, draft = run("2022年新增了多少学位", "新增学位1.7万个")
    assert draft.text.startswith("2022年（已完成）：") and "1.7万个[1]。" in draft.text
    assert not draft.refused and draft.highlights[0]


def test_an_estimate_is_labelled_as_an_estimate(run) -> None:
    _, _, draft = run("歷城區去年GDP多少？", "1265亿元")
    assert "2022年（预计）" in draft.text and "1265亿元" in draft.text
    assert "已完成" not in draft.text


def test_a_year_trap_names_the_year_the_figure_belongs_to(run) -> None:
    _, _, draft = run("2023年新增学位多少", "新增学位1.7万个", "12所")
    assert draft.text.startswith("报告未提及2023年") and "以下是2022年的情况" in draft.text
    assert "1.7万个" in draft.text and "12所" in draft.text and draft.partial and not draft.refused


def test_a_level_asked_of_a_year_with_only_a_growth_target_gets_the_other_years_level(run) -> None:
    _, _, draft = run("2023年历城GDP是多少？", "1265亿元", "地区生产总值增长6%", "占GDP的比重达到32%")
    assert draft.text.startswith("报告未提及2023年地区生产总值的")
    assert "2022年（预计）" in draft.text and "1265亿元" in draft.text and "地区生产总值增长6%" in draft.text
    assert "32%" not in draft.text and not draft.refused


def test_a_quote_names_every_thing_the_question_asks_about(run) -> None:
    _, _, draft = run("今年新开工、续建、策划储备的项目各多少个？", "62个新项目")
    assert "62个" in draft.text and "119个" in draft.text and "98个" in draft.text


def test_a_follow_up_naming_a_new_subject_is_quoted_from_that_subjects_clause(run) -> None:
    _, _, draft = run("农村的呢？", "农村人均可支配收入增长5.5%以上", previous="今年城镇居民收入目标增长多少？")
    assert "农村人均可支配收入增长5.5%以上" in draft.text


def test_a_quoted_figure_of_the_wrong_year_is_called_out(run) -> None:
    _, _, draft = run("今年免费装烟感报警器是6.5万户吗？", "15万户", "6.5万户")
    assert "6.5万户是2022年的数字，不是2023年的" in draft.text and "15万户" in draft.text


def test_a_figure_the_report_lacks_is_not_repeated(run) -> None:
    _, _, draft = run("今年森林抚育又搞了5000亩吧？", "实施2000亩森林抚育", "抚育森林5000亩")
    assert "2000亩" in draft.text


def test_a_list_enumerates_the_sections_its_lead_in_announces(run) -> None:
    _, _, draft = run("今年政府工作重点抓哪几个方面？", "以下七个方面")
    for item in ("推进经济高质量发展", "守牢一排底线"):
        assert item in draft.text


def test_a_list_after_a_lead_in_cites_each_items_passage(run) -> None:
    _, _, draft = run("报告说历城现在还存在哪些问题？", "存在不少矛盾和问题")
    assert "新动能支撑力不强" in draft.text and "政府服务效能还需进一步提高" in draft.text
    assert len(draft.citations) >= 2


def test_the_title_block_answers_with_the_fact_not_the_garbled_block(run) -> None:
    _, _, draft = run("历城区长是徐明吗？", "区长续明")
    assert "续明" in draft.text and "各位代表" not in draft.text


def test_a_refusal_that_the_kind_is_not_given_quotes_what_the_report_does_say(run) -> None:
    _, _, draft = run("在建的那6条地铁分别是几号线？", "6条轨道交通线")
    assert draft.refused and draft.text.startswith("报告未提及") and "6条轨道交通线" in draft.text


def test_a_refusal_shows_related_passages_marked_as_not_holding_the_answer(run) -> None:
    _, _, draft = run("区长办公室电话是多少？", "区长续明", "12345", "1265亿元")
    assert draft.refused and draft.text.startswith("报告未提及") and "不含答案" in draft.text
    assert len(draft.citations) == 2 and "[" not in draft.text


def test_a_question_with_nothing_of_the_report_in_it_gets_no_passages(run) -> None:
    _, _, draft = run("历城区有多少人口", "新增学位1.7万个", "12所")
    assert draft.refused and draft.text.startswith("报告未提及") and draft.citations == ()


def _draft(knowledge, passages, text, quote, year=2022):
    passage = passages(quote)[0]
    return Draft(text, (passage,), (quote,), False, None, False, (Claim(quote, passage, year),))


def test_verify_accepts_a_grounded_answer(knowledge, passages) -> None:
    assert problems(_draft(knowledge, passages, "2022年（已完成）：新增学位1.7万个[1]。", "新增学位1.7万个"), knowledge) == []


def test_verify_finds_a_number_no_cited_passage_holds(knowledge, passages) -> None:
    found = problems(_draft(knowledge, passages, "新增学位1.8万个[1]。", "新增学位1.7万个"), knowledge)
    assert found and "1.8" in found[0]


def test_verify_finds_a_year_label_that_is_not_the_passages_year(knowledge, passages) -> None:
    found = problems(_draft(knowledge, passages, "新增学位1.7万个[1]。", "新增学位1.7万个", year=2023), knowledge)
    assert any("labelled 2023" in p for p in found)


def test_verify_finds_a_passage_cited_twice(knowledge, passages) -> None:
    draft = _draft(knowledge, passages, "新增学位1.7万个[1]。", "新增学位1.7万个")
    twice = Draft(draft.text, draft.citations * 2, draft.highlights * 2, False, None, False, draft.claims)
    assert "a passage is cited twice" in problems(twice, knowledge)


def test_verify_finds_a_heading_given_as_the_answer(knowledge, passages) -> None:
    passage = passages("今年政府工作的总体要求是")[0]
    quote = "今年政府工作的总体要求是"
    draft = Draft(f"{quote}[1]。", (passage,), (quote,), False, None, False, (Claim(quote, passage, 2023),))
    assert any("heading" in p for p in problems(draft, knowledge))


def test_a_passage_of_unknown_year_gets_no_year_label(composer) -> None:
    """The llama-index baseline's chunks carry year 0: a "0年（已完成）" label would put a figure in the answer
    that no passage holds (and be wrong)."""
    from rag.types import Passage

    passage = Passage("x1", "新建19处中小学、幼儿园，新增学位1.7万个。", "", "", 0, 0, 1.0)
    assert composer._label(Claim("新增学位1.7万个", passage, 0)) == ""

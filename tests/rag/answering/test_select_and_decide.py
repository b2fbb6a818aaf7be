"""Stages 3 and 4, select and decide, on passages picked by hand: answer, partial answer or refusal, and why."""

from __future__ import annotations

import pytest

from rag.answering.decision import Reason, Verdict
from rag.answering.policy import DEFAULT_POLICY
from rag.answering.select import shown_in


def test_a_figure_of_the_asked_year_is_answered(run) -> None:
    _, decision, _ = run("2022年新增了多少学位", "新增学位1.7万个", "12所")
    assert decision.verdict is Verdict.ANSWER
    assert all(c.year == 2022 for c in decision.chosen) and "1.7万个" in decision.chosen[0].text


def test_a_topic_met_only_through_a_synonym_in_the_asked_year_is_a_year_trap(run) -> None:
    _, decision, _ = run("2023年新增学位多少", "新增学位1.7万个", "12所")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert decision.chosen[0].year == 2022 and decision.context[0].year == 2023


def test_a_sentence_about_the_topic_without_the_figure_asked_is_a_refusal_that_says_so(run) -> None:
    _, decision, _ = run("历城现在的森林覆盖率是多少？", "持续提升森林覆盖率")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.KIND_NOT_GIVEN)


def test_a_clause_about_another_subject_does_not_lend_its_figure(selector, understander, passages) -> None:
    intent = understander.understand("历城现在的森林覆盖率是多少？")
    candidate = selector.candidates(intent, passages("持续提升森林覆盖率"))[0]
    assert candidate.about and not candidate.fits  # 2000亩 belongs to 森林抚育, not to 覆盖率


def test_an_everyday_word_is_met_by_the_abbreviation_the_report_writes_for_the_same_term(run) -> None:
    # 经济总量 is 地区生产总值, which the report writes GDP inside a share: the share answers, not GDP's own growth.
    _, decision, _ = run("全区搞科研投的钱占经济总量的多少？", "地区生产总值增长6%", "占GDP比重")
    assert decision.verdict is Verdict.ANSWER and "3.1%" in decision.chosen[0].text


def test_a_thing_asked_for_that_the_asked_years_sentence_does_not_name_is_refused(run) -> None:
    _, decision, _ = run("今年买房的刚需有啥补贴？", "支持刚性和改善性住房需求政策")  # a policy, no subsidy named
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.KIND_NOT_GIVEN)
    _, decision, _ = run("那今年体育方面有什么赛事？", "全国青少年足球精英邀请赛、区第十二届", "泉城夜跑")
    assert decision.verdict is Verdict.ANSWER  # 2022's sentence names no 赛事, but 2023's, the year asked, does


def test_the_questions_key_word_must_be_in_the_answer(run) -> None:
    _, decision, _ = run("大悦城什么时候开业？", "华山环宇城盛大开业", "大悦城")
    assert decision.refused and decision.reason is Reason.KIND_NOT_GIVEN


def test_a_change_is_not_answered_by_a_level(run) -> None:
    _, decision, _ = run("低保标准比前年提高了多少元？", "995元")
    assert decision.refused


def test_a_level_is_not_answered_by_a_percentage_and_the_other_years_level_is_shown(run) -> None:
    _, decision, _ = run("历城今年GDP总量是多少？", "地区生产总值增长6%", "1265亿元")
    assert decision.reason is Reason.OTHER_YEAR_ONLY and "1265亿元" in decision.chosen[0].text


def test_a_figure_quoted_from_the_other_year_leads_to_this_years_figure(run) -> None:
    _, decision, _ = run("今年那183个重点项目都开工了吗？", "183个重点项目", "279")
    assert decision.verdict is Verdict.ANSWER and "279" in decision.chosen[0].text
    assert decision.figure_years == (("183个", 2022),)


def test_a_list_announced_by_a_lead_in_is_its_sections(run) -> None:
    _, decision, _ = run("今年政府工作重点抓哪几个方面？", "以下七个方面")
    assert len(decision.list_items) == 7 and decision.list_items[0].startswith("（一）")


def test_a_list_counted_but_not_named_is_refused(run) -> None:
    _, decision, _ = run("今年那15件民生实事具体是哪些？", "15件民生实事")
    assert decision.refused


def test_a_question_of_words_the_report_never_uses_is_off_topic_without_passages(run) -> None:
    _, decision, draft = run("今天股票行情怎么样", "新增学位1.7万个")
    assert decision.reason is Reason.OFF_TOPIC and draft.citations == ()


def test_small_talk_is_decided_before_anything_is_read(run) -> None:
    _, decision, _ = run("你好", "新增学位1.7万个")
    assert decision.verdict is Verdict.SMALL_TALK


def test_a_compound_key_is_held_by_the_words_it_is_made_of(selector, understander, passages) -> None:
    intent = understander.understand("市场主体总量有多少户？")
    found = selector.candidates(intent, passages("持续壮大市场主体总量", "总量达到21.7万户"))
    split = next(c for c in found if "21.7万户" in c.text)
    assert split.about and split.fits  # 市场主体增长3.4%、总量达到21.7万户


def test_a_sentence_quoted_by_a_clause_counts_as_shown() -> None:
    sentence = "“蓝贝易书”荣获全国军创大赛一等奖，山东青年创业众创空间成功备案国家级众创空间。"
    assert shown_in(sentence, "有，“蓝贝易书”在全国军创大赛获奖。", 0.5)
    assert not shown_in(sentence, "2022年新增城镇就业1.7万人。", 0.5)
    assert not shown_in("加快建设，持续推进。", "加快建设", 0.5)  # a clause this short names no sentence


def test_a_follow_up_asks_about_the_sentence_the_previous_answer_showed(selector, understander, passages) -> None:
    previous = understander.understand("去年有创业项目在全国比赛获奖吗？")
    intent = understander.understand("拿的是几等奖？", previous)
    found = passages("首次开展历城创业大赛", "蓝贝易书")
    unseen = {c.text: c.score for c in selector.candidates(intent, found)}
    best = selector.candidates(intent.with_(previous_answer="有，“蓝贝易书”在全国军创大赛获奖。"), found)[0]
    assert "蓝贝易书" in best.text and best.about and best.fits
    assert best.score == pytest.approx(unseen[best.text] + DEFAULT_POLICY.shown_before_bonus)


def test_a_compound_key_written_apart_must_stand_in_one_clause(selector, understander, passages) -> None:
    # "加快跨境电商产业发展，…，外贸进出口额增长12%": 跨境电商 and 进出口额 in two clauses are two things.
    intent = understander.understand("跨境电商进出口额比前年增长了多少？")
    found = selector.candidates(intent, passages("加快跨境电商产业发展"))
    assert not any(c.fits for c in found if "外贸进出口额增长12%" in c.text)


def test_the_items_of_a_count_the_citizen_quotes_are_refused_when_the_report_only_counts_them(run) -> None:
    _, decision, draft = run("2022年新增的3家国家重点实验室分别是哪些？", "新增国家重点实验室3家")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.KIND_NOT_GIVEN)
    assert draft.text.startswith("报告未提及") and "新增国家重点实验室3家" in draft.text


def test_what_was_done_asked_of_the_planned_year_gives_the_plan_and_the_year_befores_result(run) -> None:
    _, decision, draft = run("今年保租房新增了多少套？", "筹集保障性租赁住房7100套", "新增保障性租赁住房2775套")
    assert decision.verdict is Verdict.ANSWER and [c.year for c in decision.chosen] == [2023, 2022]
    assert "2023年（计划）" in draft.text and "7100套" in draft.text
    assert "2022年（已完成）" in draft.text and "2775套" in draft.text
    # Asked as a plan, the plan alone answers.
    _, decision, _ = run("今年保租房要筹集多少套？", "筹集保障性租赁住房7100套", "新增保障性租赁住房2775套")
    assert [c.year for c in decision.chosen] == [2023]


def test_what_was_done_asked_of_a_year_that_only_names_the_topic_gets_the_year_befores_result(run) -> None:
    phrases = ("持续提升12345市民服务热线办理满意度", "办理12345市民服务热线64.9万件")
    _, decision, draft = run("那今年热线办了多少件？", *phrases, previous="12345热线去年满意度咋样？")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert "2022年（已完成）" in draft.text and "64.9万件" in draft.text


@pytest.mark.parametrize(
    "question, phrase, previous",
    [
        ("其中小学学位有多少？", "新增学位1.7万个", "去年新增了多少学位？"),  # 学位 is the whole asked before
        ("这里面光退税有多少？", "减税退税降费政策超过60亿元", "去年减税降费一共落实了多少？"),  # 退税 is a piece of it
    ],
)
def test_a_part_is_not_answered_by_the_figure_of_the_whole_the_turn_before_asked(run, question, phrase, previous) -> None:
    _, decision, draft = run(question, phrase, previous=previous)
    assert decision.refused and draft.text.startswith("报告未提及")

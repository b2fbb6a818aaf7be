"""data/words/answering.toml, class by class: each word list does what its comment says."""

from __future__ import annotations

import tomllib

import pytest

from rag.answering.intent import Kind, SmallTalk
from rag.answering.multipart import split_questions
from rag.answering.reading import kind_of, small_talk_of
from rag.answering.words import DEFAULT_WORDS, load_words

WORDS = load_words()
DATA = tomllib.loads(DEFAULT_WORDS.read_text(encoding="utf-8"))


def test_every_class_of_the_file_is_read() -> None:
    assert set(DATA) == {
        "generic", "attached", "off_topic", "kinds", "procedure_actions", "change", "level", "units", "per_item",
        "superlative", "before", "followup", "multipart", "small_talk", "kind_nouns",
    }  # fmt: skip
    assert {kind for kind, _ in WORDS.kind_cues} == set(Kind) - {Kind.GENERAL}


@pytest.mark.parametrize("group", sorted(DATA["generic"]))
def test_generic_words_name_no_topic(understander, group: str) -> None:
    word = DATA["generic"][group][0]
    assert word in WORDS.generic
    assert word not in understander.understand(f"历城{word}去年新增学位多少").topic


@pytest.mark.parametrize(
    "question", ["今年产业发展资金盘子多大？", "今年要组建的综合性救援队伍是什么定位？", "今年争创的知识产权出口基地是啥级别的？"]
)
def test_a_frame_the_report_never_writes_leaves_the_question_answerable(understander, question: str) -> None:
    assert not understander.understand(question).missing  # 盘子 (how big), 定位 (what role), 级别 (which level)


def test_a_level_asked_is_a_name_and_a_date_asked_in_english_a_day() -> None:
    assert kind_of("今年争创的知识产权出口基地是啥级别的？", WORDS) is Kind.NAME  # 国家 names it
    assert kind_of("首届中国草莓种业大会是哪个日期举办的？", WORDS) is Kind.DAY  # "date" becomes 日期


def test_asking_words_are_never_a_topic_even_as_a_last_resort(understander) -> None:
    intent = understander.understand("今年政府工作重点抓几个方面")
    assert "政府" in intent.topic  # a question of generic words only is about them
    assert not set(intent.topic) & WORDS.asking


@pytest.mark.parametrize("kind, cues", WORDS.kind_cues, ids=[k.value for k, _ in WORDS.kind_cues])
def test_each_kind_is_read_from_its_cues(kind: Kind, cues: tuple[str, ...]) -> None:
    assert kind_of(f"历城区唐冶{cues[0]}", WORDS) is kind


def test_kinds_are_checked_in_file_order() -> None:
    assert kind_of("存在哪些问题", WORDS) is Kind.LIST  # holds 在哪 (place), but a list comes first
    assert kind_of("罚多少", WORDS) is Kind.PROCEDURE  # holds 多少 (amount)
    assert kind_of("大会是几月几号办的", WORDS) is Kind.DAY  # a day, before a date the year answers
    assert kind_of("5G基站现在一共有多少个", WORDS) is Kind.TOTAL  # how many there are, before any figure
    assert kind_of("右转必停是谁先搞的", WORDS) is Kind.RANK  # who was first, before who
    assert kind_of("进博会签约额在全市排老几", WORDS) is Kind.RANK  # a position, before the amount 几 asks
    assert kind_of("搞科研投的钱占经济总量的多少", WORDS) is Kind.RATE  # a share of a whole asks a percentage
    assert kind_of("6条轨道交通线哪条最先通车", WORDS) is Kind.RANK  # which comes first asks an order


def test_a_qualifier_before_the_noun_asked_of_asks_nothing_of_its_own(understander) -> None:
    assert understander.understand("今年区应急能力建设有哪些具体安排？").measure == ""  # 安排 is generic
    assert understander.understand("今年有哪些具体项目？").measure == ""
    assert understander.understand("高企认定有啥奖补不").measure == "奖补"  # the closing 不 asks, as 吗 does


def test_a_character_glued_onto_a_word_is_dropped(understander) -> None:
    topic = understander.understand("投资竞争力在全省排第几？").topic
    assert "全省" in topic and "在全省" not in topic
    topic = understander.understand("去年有多少家企业把业务搬到云上了？").topic
    assert "企业" in topic and "家企业" not in topic  # the counter of 多少家


def test_an_everyday_subject_alone_is_off_topic(understander) -> None:
    assert understander.understand("今天天气怎么样").off_topic
    assert not understander.understand("极端天气监测预警今年有什么安排").off_topic


def test_procedure_actions_name_what_a_procedure_question_asks_to_do(understander) -> None:
    assert understander.understand("家庭养老床位怎么申请？").action in WORDS.procedure_actions


def test_change_words_ask_for_a_change_and_level_words_for_a_level(understander) -> None:
    assert understander.understand("去年农村人的收入涨了多少？").change
    assert understander.understand("事故起数分别下降多少？").change
    assert understander.understand("历城今年GDP总量是多少？").level


def test_a_unit_asked_in_must_be_met(understander) -> None:
    assert understander.understand("今年防内涝要治理多少公里河道？").unit == "公里"
    assert understander.understand("今年要建几个托育示范点？").unit == ""  # counters are interchangeable
    assert understander.understand("那具体发生了几起？").unit == "起"  # incidents are counted in 起 only


@pytest.mark.parametrize("cue", DATA["per_item"]["asks"])
def test_per_item_words_ask_for_a_figure_per_household_or_person(understander, cue: str) -> None:
    assert understander.understand(f"租赁住房补贴{cue}能拿多少钱？").per_item
    assert not understander.understand("租赁住房补贴发了多少户？").per_item


@pytest.mark.parametrize("cue", DATA["before"]["asks"])
def test_before_words_ask_for_the_value_before_a_change(understander, cue: str) -> None:
    assert understander.understand(f"城乡低保{cue}").before
    assert not understander.understand("城乡低保现在每月多少钱？").before


@pytest.mark.parametrize("cue", DATA["superlative"]["asks"])
def test_superlative_words_ask_for_the_first_of_several(understander, cue: str) -> None:
    assert understander.understand(f"去年设立的产业基金里规模{cue}只有多少亿？").superlative


def test_followup_openers_closers_and_pronouns_lean_on_the_previous_turn(understander) -> None:
    previous = understander.understand("去年新增了多少家高新技术企业？")
    for question in ("那公厕呢？", "还有公厕", "这个项目今年呢"):
        assert understander.understand(question, previous).followup, question


@pytest.mark.parametrize("marker", DATA["followup"]["parts"])
def test_part_markers_ask_for_a_part_of_the_previous_whole(understander, marker: str) -> None:
    previous = understander.understand("今年计划推进多少个重点项目？")
    assert understander.understand(f"{marker}新开工的有几个？", previous).part
    assert not understander.understand("新开工的有几个？", previous).part


@pytest.mark.parametrize("marker", DATA["followup"]["after_done"])
def test_after_done_markers_keep_the_previous_turns_thing_as_the_topic(understander, marker: str) -> None:
    previous = understander.understand("唐冶三甲医院现在建到哪一步了？")
    intent = understander.understand(f"{marker}有多少张床位？", previous)
    assert intent.followup and not intent.replaces_topic and "唐冶三甲医院" in intent.inherited_topic


@pytest.mark.parametrize("marker", DATA["followup"]["same_as"])
def test_same_as_markers_compare_with_the_previous_turns_year(understander, marker: str) -> None:
    previous = understander.understand("今年要新增多少家高新技术企业？")
    intent = understander.understand(f"去年新增的也是{marker}吗？", previous)
    assert intent.followup and intent.years == (2022,) and intent.compared_years == (2023,)


def test_multipart_words_split_a_message_into_questions(knowledge) -> None:
    segment = knowledge.segment  # as the Answerer splits
    assert split_questions("历城的东西部协作是跟哪里结对？", WORDS, segment) == ["历城的东西部协作是跟哪里结对？"]
    assert len(split_questions("去年疫情防控投了多少钱，另外今年医疗资源上有什么打算？", WORDS, segment)) == 2
    assert len(split_questions("济钢去年进全国500强没？齐药在医药百强排第几？", WORDS, segment)) == 2  # "…没？" asks too
    assert len(split_questions("去年空气咋样？优良天数多少天", WORDS, segment)) == 2  # 咋样 asks as 怎么样 does
    assert split_questions("这钱咋分，哪些企业能拿到？", WORDS, segment) == ["这钱咋分，哪些企业能拿到？"]  # 咋 alone: how-to
    assert split_questions("去年历城在养老和低保方面做了什么？", WORDS, segment) == [
        "去年历城在养老方面做了什么？",
        "去年历城在低保方面做了什么？",
    ]
    assert split_questions("企业和个体户这些市场主体一共有多少户？", WORDS, segment) == ["企业和个体户这些市场主体一共有多少户？"]


def test_what_a_citizen_says_before_asking_belongs_to_the_first_question(knowledge) -> None:
    segment = knowledge.segment  # as the Answerer splits
    assert split_questions("下大雨老淹，今年河道要治多长？雨污混流的管子改几个？", WORDS, segment) == [
        "下大雨老淹，今年河道要治多长",
        "雨污混流的管子改几个？",
    ]


@pytest.mark.parametrize("request_", DATA["multipart"]["requests"])
def test_a_request_for_how_to_answer_is_no_question_of_its_own(knowledge, request_: str) -> None:
    segment = knowledge.segment  # as the Answerer splits
    assert split_questions(f"今年要加快哪些道路工程？{request_}", WORDS, segment) == [f"今年要加快哪些道路工程？{request_}"]


@pytest.mark.parametrize("kind", list(SmallTalk))
def test_small_talk_is_recognised_whole(kind: SmallTalk) -> None:
    phrase = DATA["small_talk"][kind.value][0]
    assert small_talk_of(f"{phrase}！", WORDS) is kind
    assert small_talk_of(f"{phrase}，今年GDP目标多少", WORDS) is None


def test_every_kind_has_a_noun_for_what_a_refusal_says_is_missing() -> None:
    assert set(WORDS.kind_nouns) == set(Kind)


@pytest.mark.parametrize(
    "question, kind",
    [("这些项目总投资是多少？", Kind.MONEY), ("投资总额多少", Kind.MONEY), ("固定资产投资总额增速多少", Kind.RATE)],
)
def test_a_total_investment_asks_for_money_but_its_growth_a_rate(question: str, kind: Kind) -> None:
    assert kind_of(question, WORDS) is kind

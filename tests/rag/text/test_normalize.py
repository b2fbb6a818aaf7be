"""A question in the report's own script and words, before anything searches for it."""

from __future__ import annotations

import tomllib

import pytest

from ingest.chunk import DEFAULT_MAX_CHARS
from ingest.load import load_chunks
from rag.settings import DEFAULT_REPORT
from rag.text.normalize import (
    DEFAULT_ENGLISH,
    Normalizer,
    english_replacer,
    half_width,
    load_english,
    load_typo_rules,
    normalize_script,
    simplified,
)
from rag.text.tokenize import ChineseTokenizer
from rag.text.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    chunks = load_chunks(DEFAULT_REPORT, DEFAULT_MAX_CHARS)
    vocabulary = load_vocabulary()
    tokenizer = ChineseTokenizer(vocabulary)
    return Normalizer(
        "".join(c.text for c in chunks),
        [t for c in chunks for t in tokenizer.tokenize(c.text)],
        segment=lambda text: [word for word, _ in tokenizer.tag(text)],
        is_known_word=tokenizer.knows,
        protected=list(vocabulary.relative_years),
    )


def test_traditional_characters_become_simplified() -> None:
    assert simplified("歷城區去年GDP多少？發熱門診設了幾處") == "历城区去年GDP多少？发热门诊设了几处"


def test_characters_the_report_uses_are_kept_as_typed() -> None:
    assert simplified("著力", keep=frozenset("著")) == "著力"


def test_full_width_letters_digits_and_percent_become_half_width_and_chinese_punctuation_stays() -> None:
    assert half_width("ＧＤＰ增长６％？") == "GDP增长6%？"


@pytest.mark.parametrize("english_class", sorted(tomllib.loads(DEFAULT_ENGLISH.read_text(encoding="utf-8"))))
def test_every_class_of_english_words_maps_to_chinese(english_class: str) -> None:
    words = tomllib.loads(DEFAULT_ENGLISH.read_text(encoding="utf-8"))[english_class]["words"]
    english, chinese = next(iter(words.items()))
    assert chinese in english_replacer(load_english())(f"去年{english.upper()}多少")


def test_an_english_word_inside_a_longer_word_is_left_alone() -> None:
    assert english_replacer({"app": "平台"})("apple") == "apple"


def test_an_english_gloss_beside_its_chinese_word_is_said_once() -> None:
    replace = english_replacer({"cloud": "云", "pcr": "核酸"})
    assert replace("企业上云cloud的有多少家") == "企业上云的有多少家"
    assert replace("PCR核酸检测点") == "核酸检测点"
    assert replace("cloud平台") == "云平台"


def test_english_words_become_one_chinese_word_without_the_space_between_them() -> None:
    assert english_replacer({"growth": "增长", "rate": "率"})("历城growth rate是多少") == "历城增长率是多少"


def test_an_english_word_the_report_itself_uses_stays_english() -> None:
    assert english_replacer({"rcep": "区域全面经济伙伴关系"}, report_text="抢抓RCEP等契机")("RCEP有啥打算") == "RCEP有啥打算"


def test_retrieval_reads_the_same_script_without_the_report() -> None:
    assert normalize_script("歷城PCR檢測") == "历城核酸检测"


@pytest.mark.parametrize(
    "typed, corrected",
    [
        ("历成区去年新增高薪技术企业多少家？", "历城区去年新增高新技术企业多少家？"),
        ("今年新增学未有多少个？", "今年新增学位有多少个？"),
        ("唐野三甲医院建到哪一步了？", "唐冶三甲医院建到哪一步了？"),
        ("全城书屋去年新增了几家？", "泉城书屋去年新增了几家？"),
        ("去年封停了多少眼自背井？", "去年封停了多少眼自备井？"),  # three characters across tokens: a word of the report
        ("中医药今年要创建啥师范区？", "中医药今年要创建啥示范区？"),
    ],
)
def test_a_homophone_typo_becomes_the_reports_word(normalizer, typed: str, corrected: str) -> None:
    result = normalizer.normalize(typed)
    assert result.text == corrected
    assert result.corrections


@pytest.mark.parametrize(
    "typed, corrected",
    [
        ("去年新建了几处垃圾分内房？", "去年新建了几处垃圾分类房？"),  # sounds: n for l
        ("今年一般公共预算收人要达到多少？", "今年一般公共预算收入要达到多少？"),  # shapes: 人 for 入
        ("今年新建改扩建的中小学幼儿圆有几所？", "今年新建改扩建的中小学幼儿园有几所？"),  # a dictionary word of three
    ],
)
def test_a_typo_of_a_confusable_sound_or_a_look_alike_character_is_corrected(normalizer, typed: str, corrected: str) -> None:
    assert normalizer.normalize(typed).text == corrected


@pytest.mark.parametrize(
    "typed, corrected",
    [
        ("6000户是那几个小区？", "6000户是哪几个小区？"),
        ("14个项目都在那些村？", "14个项目都在哪些村？"),
        ("遗址公园神么时候开放？", "遗址公园什么时候开放？"),
        ("在百强榜排弟几？", "在百强榜排第几？"),
        ("军创大赛拿了几等将？", "军创大赛拿了几等奖？"),
    ],
)
def test_a_question_word_mistyped_as_a_word_that_sounds_like_it_asks_again(normalizer, typed, corrected) -> None:
    assert normalizer.normalize(typed).text == corrected


def test_a_demonstrative_that_points_back_stays(normalizer) -> None:
    assert normalizer.normalize("那些项目总投资是多少？").text == "那些项目总投资是多少？"


def test_a_round_the_clock_and_an_event_in_english_are_the_reports_words() -> None:
    replace = english_replacer(load_english())
    assert replace("今年打造几个24h的路口") == "今年打造几个全天候的路口"
    assert replace("今年有啥体育event") == "今年有啥体育活动"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("今年要加快建设哪些shopping mall项目", "今年要加快建设哪些商业综合体项目"),  # two words, one term
        ("“铁海E通”是个什么system", "“铁海E通”是个什么系统"),
        ("今年城镇unemployment rate目标多少", "今年城镇失业率目标多少"),  # a term the report lacks: then refused
        ("今年要组建的综合性救援team是什么定位", "今年要组建的综合性救援队伍是什么定位"),
        ("2023年有哪些重大industrial项目", "2023年有哪些重大工业项目"),
        ("新建了多少个老年人day care中心", "新建了多少个老年人日间照料中心"),  # two words, one term
        ("区里quality方面有啥目标", "区里质量方面有啥目标"),
        ("今年新增了多少公里greenway", "今年新增了多少公里绿道"),
        ("2023年跨境电商import和export一共多少", "2023年跨境电商进出口一共多少"),  # the pair, joined in Chinese
        ("历城控股收购的那家A股listed公司叫啥", "历城控股收购的那家A股上市公司叫啥"),
    ],
)
def test_everyday_english_words_become_the_chinese_a_citizen_means(question: str, expected: str) -> None:
    assert english_replacer(load_english())(question) == expected


def test_each_class_of_typo_rules_reads_its_pairs_alike() -> None:
    rules = load_typo_rules()
    assert rules.sound("分类") == rules.sound("分内")  # initials: l / n
    assert rules.sound("资金") == rules.sound("知金")  # initials: z / zh
    assert rules.sound("平台") == rules.sound("频台")  # finals: -ng / -n
    assert rules.sound("收入") == rules.sound("收人")  # shapes
    assert rules.sound("收入") != rules.sound("收费")
    assert {"不", "了", "吗"} <= rules.grammar  # grammar: never the mistyped character


@pytest.mark.parametrize(
    "question",
    [
        "历城去年GDP多少？",
        "去年12345热线历城办了多少件？",
        "去年历城的失业率是多少？",
        "都是哪15件？能列一下吗？",
        "历城民生支出占财政支出的比例是多少？",
        "今年还建不，建几座？",  # [grammar]: 不 is never the mistyped character of 住建部's 建部
        "历城去年的经济总量大概有多大？",  # three characters sound like a phrase of the report (量达概), not a word of it
        "2023年要加快推进哪些道路工程？",  # "推进哪" sounds like the phrase 推进垃(圾); 哪 is also [grammar]
    ],
)
def test_words_that_are_right_are_not_corrected(normalizer, question: str) -> None:
    # Each holds a window that sounds like a report phrase ("城去" like 城区, "失业" like 事业).
    result = normalizer.normalize(question)
    assert result.text == question and result.corrections == ()

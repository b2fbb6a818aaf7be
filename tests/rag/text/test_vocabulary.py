"""data/synonyms.toml as data: it parses, its official terms are the report's words, its years are right."""

from __future__ import annotations

import re
import tomllib

import pytest

from ingest.clean import clean_text
from ingest.load import read_report, report_year
from rag.settings import DEFAULT_REPORT
from rag.text.vocabulary import DEFAULT_VOCABULARY, load_vocabulary, parse_vocabulary

VOCABULARY = load_vocabulary()
REPORT = clean_text(read_report(DEFAULT_REPORT)).replace("\n", "")
REPORT_YEAR = report_year(REPORT)


def test_the_synonym_file_parses_into_term_groups() -> None:
    with open(DEFAULT_VOCABULARY, "rb") as file:
        data = tomllib.load(file)
    assert set(data) == {"years", "asks", "terms"}
    assert VOCABULARY.figure_words == tuple(data["asks"]["figure_words"])
    assert len(VOCABULARY.terms) == len(data["terms"]) > 50
    for group in VOCABULARY.terms:
        assert group.official and all(group.official), group
        assert group.everyday and all(w.strip() == w and w for w in group.everyday), group


def test_every_official_term_stands_in_the_cleaned_report() -> None:
    # An expansion must point at words the report really uses, or it can only add noise.
    missing = sorted({term for group in VOCABULARY.terms for term in group.official if term not in REPORT})
    assert missing == []


@pytest.mark.parametrize(
    "word, year",
    [("去年", 2022), ("上年", 2022), ("过去的一年", 2022), ("今年", 2023), ("本年度", 2023), ("新的一年", 2023), ("前年", 2021)],
)
def test_relative_year_words_name_the_right_year_of_this_report(word: str, year: int) -> None:
    assert REPORT_YEAR + VOCABULARY.relative_years[word] == year


@pytest.mark.parametrize("period", VOCABULARY.shorter_periods)
def test_periods_shorter_than_a_year_are_never_spoken_of_by_the_report(period: str) -> None:
    # A yearly report gives no figure for a month or a quarter: were one of these words in it, a question could be.
    assert period not in REPORT


def test_plan_and_result_words_do_not_overlap() -> None:
    assert VOCABULARY.plan_words and VOCABULARY.result_words
    assert not set(VOCABULARY.plan_words) & set(VOCABULARY.result_words)


@pytest.mark.parametrize(
    "everyday, official",
    [
        ("GDP", "地区生产总值"),
        ("养老院", "日间照料中心"),
        ("养老院", "幸福院"),
        ("廉租房", "保障性租赁住房"),
        ("臭水沟", "黑臭水体"),
        ("地铁", "轨道交通"),
        ("厕所", "公厕"),
        ("烟雾报警器", "烟感报警器"),
        ("财政收入", "一般公共预算收入"),
        ("社零", "社会消费品零售总额"),
        ("高企", "高新技术企业"),
        ("市长热线", "市民服务热线"),
        # Everyday words for the report's formal ones: buying a home, a quarry, heating, drug makers, brokers.
        ("买房", "住房需求"),
        ("废矿坑", "废弃矿山"),
        ("暖气", "供暖"),
        ("药企", "制药"),
        ("券商", "金融机构"),
        ("课后托管", "课后延时服务"),
        ("开公司", "商事主体登记"),
        ("开个公司", "企业开办"),
        # Everyday names for places, enterprises and schemes.
        ("黄河边", "黄河淤背区"),
        ("央企", "中交建"),
        ("省企", "省铁投"),
        ("民企百强", "民营经济100强"),
        ("不用审批", "免审即享"),
        # Everyday words of daily life.
        ("开一家公司", "企业开办"),
        ("骗钱", "电信网络诈骗"),
        ("脏水", "生活污水"),
        ("自由职业", "灵活就业人员"),
        ("散步道", "绿道"),
        ("冷冻", "冷链"),
        ("上规模的服务业", "规上服务业"),
        ("偷抽黄河水", "违规取用黄河水"),
        ("网上医院", "互联网医院"),
        # Short forms and descriptions of a department, a fund and a level.
        ("城管", "城市管理"),
        ("扶持产业的那笔钱", "产业发展资金"),
        ("国家级", "国家"),
        ("上学名额", "学位"),
        ("之都", "北方种业之都"),
        ("老人白天托管", "日间照料中心"),
        # Short and spoken forms of names the report writes in full.
        ("女子足球队", "女足"),
        ("临港区", "临港开发区"),
        ("市政路", "市政道路"),
        ("对外公布", "政务信息"),
        ("卖出去的东西", "社会消费品零售总额"),
        ("跑外卖", "新就业形态"),
        ("城管休息站", "城管驿站"),
        # Everyday words for research spending, traders, shopping streets and farmland joined up.
        ("搞科研投的钱", "研发投入"),
        ("搞研发花的钱", "研发投入"),
        ("做买卖的", "市场主体"),
        ("商业街", "步行街"),
        ("小块并成大块", "小田变大田"),
        # Abbreviations of the budget revenue and the strategic emerging industries; everyday words for 三公 spending.
        ("一公收入", "一般公共预算收入"),
        ("战新产业", "战略性新兴产业"),
        ("公款吃喝", "三公"),
        ("规上", "规模以上"),  # the report writes both for the same enterprises
        # Short names of the district's vocational school and of a national contest.
        ("区职专", "历城职专"),
        ("国赛", "全国职业院校技能大赛"),
        ("代表和委员", "人大代表建议"),  # deputies (代表) are no topic of their own: see [generic] people
        # Everyday words for key projects, farmland, the relief depot, market entities, cloud use and online services;
        # abbreviations of intellectual property and of the kitchen-waste trucks.
        ("大项目", "重点项目"),
        ("种粮食的地", "耕地"),
        ("存救灾物资的仓库", "综合物资储备库"),
        ("企业和个体户", "市场主体"),
        ("搬上云", "企业上云"),
        ("女孩踢足球", "女足"),
        ("网上能办", "网办"),
        ("知产", "知识产权"),
        ("厨余车", "厨余垃圾收运车辆"),
        ("放学后的托管", "课后延时服务"),  # one phrase: 托管 alone is the report's 托育服务 for small children
        ("养护树林", "森林抚育"),
        ("太空用的行波管", "空间"),
        ("啃哪些硬骨头", "难题"),
        ("小田变大田", "规模化经营"),  # the report counts it as 新增规模化经营土地1万亩
    ],
)
def test_everyday_words_expand_to_the_reports_terms(everyday: str, official: str) -> None:
    assert official in VOCABULARY.official_terms_for(f"历城去年的{everyday}怎么样？")


def test_a_question_without_everyday_words_gets_no_expansion() -> None:
    assert VOCABULARY.official_terms_for("济钢集团重回全国500强了吗") == []


def test_each_official_term_is_added_once_even_if_several_everyday_words_match() -> None:
    terms = VOCABULARY.official_terms_for("养老院和敬老院，还有托老所")
    assert len(terms) == len(set(terms))
    assert terms[:4] == ["日间照料中心", "幸福院", "养老服务中心", "家庭养老床位"]


def test_vocabulary_words_cover_terms_everyday_words_and_year_words() -> None:
    words = VOCABULARY.words()
    assert {"地区生产总值", "GDP", "去年", "今年", "养老院"} <= words


def test_an_empty_file_parses_into_an_empty_vocabulary() -> None:
    empty = parse_vocabulary({})
    assert (empty.terms, empty.relative_years, empty.official_terms_for("GDP")) == ((), {}, [])


@pytest.mark.parametrize("question", ["新增学位多少", "研发投入占GDP比重", "建了几所学校", "固投增速"])
def test_questions_that_ask_for_a_figure_are_recognised(question: str) -> None:
    assert load_vocabulary().asks_figure(question)


@pytest.mark.parametrize("question", ["新建了哪些学校", "草莓种业大会在哪办的", "区长是谁"])
def test_questions_that_ask_no_figure_are_not(question: str) -> None:
    assert not load_vocabulary().asks_figure(question)


@pytest.mark.parametrize(
    "question, unit", [("花了多少钱", "元"), ("抗疫投入多少", "元"), ("研发投入占GDP比重", "%"), ("新增学位多少", None)]
)
def test_wording_that_asks_a_figure_in_one_unit_names_that_unit(question: str, unit: str | None) -> None:
    assert VOCABULARY.asked_unit(question) == unit


def test_every_asked_unit_follows_a_figure_in_the_report_and_no_word_names_two() -> None:
    # A unit the report never writes after a figure could only move passages at random.
    assert all(re.search(rf"\d{re.escape(unit)}|\d[万亿]{re.escape(unit)}", REPORT) for unit in VOCABULARY.unit_words)
    words = [w for group in VOCABULARY.unit_words.values() for w in group]
    assert words and len(words) == len(set(words))

"""The fact index: every figure, rank, honour, date, place, list and person of the report, typed and citable.

Figures are pinned by hand against the report (data/lichengqu_2023_report.txt); pages are those of the chunk
that cites them. Part 三 (the government itself) holds no figures, which is pinned too.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import clean_paragraphs
from ingest.facts import Fact, extract_facts, facts_in_sentence, is_non_answer, load_facts, pair_facts
from ingest.facts.words import FactWordsError, load_fact_words
from ingest.load import load_chunks, read_report
from ingest.sections import split_sentences
from rag.settings import DEFAULT_REPORT

CHUNKS = load_chunks(DEFAULT_REPORT)
PARAGRAPHS = clean_paragraphs(read_report(DEFAULT_REPORT))
FACTS = extract_facts(CHUNKS, PARAGRAPHS)
FIGURES = [f for f in FACTS if f.type == "figure"]
WORDS = load_fact_words()
REVIEW, PLAN, SELF = "一、2022年工作回顾", "二、2023年主要工作安排", "三、全面加强政府自身建设"


def the(type_: str, indicator: str, text: str, year: int | None = None) -> Fact:
    found = [f for f in FACTS if f.type == type_ and f.indicator == indicator and f.text == text and year in (None, f.year)]
    assert len(found) == 1, f"{type_} {indicator!r} {text!r}: {[(f.indicator, f.text, f.year) for f in FACTS if f.text == text]}"
    return found[0]


# --------------------------------------------------------------------------- the 2023 main targets

MAIN_TARGETS = [
    # indicator, text, value, unit, qualifier
    ("地区生产总值", "6%", "6", "%", ""),
    ("一般公共预算收入", "11%", "11", "%", ""),
    ("固定资产投资", "6%", "6", "%", ""),
    ("规模以上工业增加值", "9%", "9", "%", ""),
    ("社会消费品零售总额", "6%", "6", "%", ""),
    ("城镇居民人均可支配收入", "5.5%", "5.5", "%", ""),
    ("农村人均可支配收入", "5.5%以上", "5.5", "%", "以上"),
]


def test_the_main_targets_sentence_gives_its_seven_growth_targets_in_order() -> None:
    sentence = next(s for c in CHUNKS for s in split_sentences(c.text) if s.startswith("地区生产总值增长6%"))
    figures = [f for f in FIGURES if f.source == sentence]
    assert [(f.indicator, f.text, f.value, f.unit, f.qualifier) for f in figures] == MAIN_TARGETS
    assert {(f.kind, f.year, f.status, f.page) for f in figures} == {("growth", 2023, "target", 14)}
    assert {f.section for f in figures} == {f"{PLAN} > 今年全区经济社会发展的主要预期目标是"}


# --------------------------------------------------------------------------- figures across the report

FIGURES_BY_HAND = [
    # indicator, text as written, value, unit, qualifier, kind, year, status, page
    ("各类减税退税降费政策", "超过60亿元", "60", "亿元", "超过", "money", 2022, "achieved", 2),
    ("市场主体", "3.4%", "3.4", "%", "", "growth", 2022, "achieved", 2),
    ("市场主体总量", "21.7万户", "21.7", "万户", "", "total", 2022, "achieved", 2),
    ("一般公共预算收入", "126亿元", "126", "亿元", "", "money", 2022, "achieved", 3),
    ("一般公共预算收入", "6.8%", "6.8", "%", "", "growth", 2022, "achieved", 3),
    ("地区生产总值", "1265亿元", "1265", "亿元", "", "money", 2022, "estimate", 3),
    ("固定资产投资", "14%", "14", "%", "", "growth", 2022, "estimate", 3),
    ("城镇居民人均可支配收入", "4%", "4", "%", "", "growth", 2022, "estimate", 3),
    ("农村居民人均可支配收入", "7%", "7", "%", "", "growth", 2022, "estimate", 3),
    ("投资竞争力", "第37位", "37", "位", "", "rank", 2022, "achieved", 3),
    ("粮食总产量", "10.5万吨", "10.5", "万吨", "", "total", 2022, "achieved", 3),
    ("工业总产值", "397亿元", "397", "亿元", "", "money", 2022, "estimate", 3),
    ("规上工业增加值", "19%", "19", "%", "", "growth", 2022, "estimate", 3),
    ("工业投资", "49%", "49", "%", "", "growth", 2022, "estimate", 3),
    ("技改投资", "85%", "85", "%", "", "growth", 2022, "estimate", 3),
    ("研发投入占GDP比重", "3.1%", "3.1", "%", "", "share", 2022, "achieved", 3),
    ("新增高新技术企业", "174家", "174", "家", "", "count", 2022, "achieved", 3),
    ("高新技术企业总量", "555家", "555", "家", "", "total", 2022, "achieved", 3),
    ("技术合同交易额", "突破75亿元", "75", "亿元", "突破", "money", 2022, "achieved", 4),
    ("优质企业签约落地", "60余家", "60", "家", "余", "count", 2022, "achieved", 4),
    ("数字经济规模", "30%以上", "30", "%", "以上", "growth", 2022, "achieved", 4),
    ("年度投资", "超过千亿元", "千", "亿元", "超过", "money", 2022, "achieved", 6),
    ("省级重点项目均超额完成年度投资计划", "6个", "6", "个", "", "count", 2022, "achieved", 6),
    ("引进外资", "3亿美元", "3", "亿美元", "", "money", 2022, "achieved", 7),
    ("新建5G基站", "1270个", "1270", "个", "", "count", 2022, "achieved", 7),
    ("优良天数", "244天", "244", "天", "", "measure", 2022, "achieved", 9),
    ("提升小区绿化", "2万余平方米", "2", "万平方米", "余", "measure", 2022, "achieved", 9),
    ("新建中小学、幼儿园", "19处", "19", "处", "", "count", 2022, "achieved", 10),
    ("新增学位", "1.7万个", "1.7", "万个", "", "count", 2022, "achieved", 10),
    ("60-79岁老年人疫苗接种率", "95%以上", "95", "%", "以上", "share", 2022, "achieved", 10),
    ("历城二中连续获评“山东省最具综合实力高级中学”", "6年", "6", "年", "", "duration", 2022, "achieved", 10),
    ("新增城镇就业", "1.7万人", "1.7", "万人", "", "count", 2022, "achieved", 11),
    ("新增城乡公益性岗位", "2680个", "2680", "个", "", "count", 2022, "achieved", 11),
    ("城乡低保每月基本生活保障", "995元", "995", "元", "", "money", 2022, "achieved", 11),
    ("特困人员每月基本生活保障", "1560元", "1560", "元", "", "money", 2022, "achieved", 11),
    ("发放住房补贴", "3200余万元", "3200", "万元", "余", "money", 2022, "achieved", 11),
    ("安全生产事故起数", "48.6%", "48.6", "%", "", "growth", 2022, "achieved", 12),
    ("办理12345市民服务热线", "64.9万件", "64.9", "万件", "", "count", 2022, "achieved", 12),
    ("受理依申请公开事项", "300余件", "300", "件", "余", "count", 2022, "achieved", 12),
    ("谋划推进重点项目", "279个", "279", "个", "", "count", 2023, "target", 14),
    ("年度投资额", "千亿元以上", "千", "亿元", "以上", "money", 2023, "target", 14),
    ("引进亿元以上项目", "160个", "160", "个", "", "count", 2023, "target", 15),
    ("引进10亿元以上项目", "10个", "10", "个", "", "count", 2023, "target", 15),
    ("新增高新技术企业", "84家", "84", "家", "", "count", 2023, "target", 15),
    ("实际利用外资", "5%", "5", "%", "", "growth", 2023, "target", 16),
    ("规上生物医药企业产值规模", "突破100亿元", "100", "亿元", "突破", "money", 2023, "target", 17),
    ("服务业增加值", "6.5%", "6.5", "%", "", "growth", 2023, "target", 18),
    ("新建市政道路", "44条", "44", "条", "", "count", 2023, "target", 20),
    ("新增规模化经营土地", "1万亩", "1", "万亩", "", "measure", 2023, "target", 21),
    ("空气质量综合指数", "5%以上", "5", "%", "以上", "growth", 2023, "target", 22),
    ("实施森林抚育项目", "2000亩", "2000", "亩", "", "measure", 2023, "target", 22),
    ("新增城镇就业", "1.7万人", "1.7", "万人", "", "count", 2023, "target", 22),
    ("开发城乡公益性岗位", "2000个", "2000", "个", "", "count", 2023, "target", 22),
    ("新建改扩建中小学、幼儿园", "12所", "12", "所", "", "count", 2023, "target", 23),
    ("为居民免费安装烟感报警器", "15万户", "15", "万户", "", "count", 2023, "target", 24),
]


@pytest.mark.parametrize("indicator, text, value, unit, qualifier, kind, year, status, page", FIGURES_BY_HAND)
def test_a_figure_pinned_by_hand(
    indicator: str, text: str, value: str, unit: str, qualifier: str, kind: str, year: int, status: str, page: int
) -> None:
    fact = the("figure", indicator, text, year)
    assert (fact.value, fact.unit, fact.qualifier, fact.kind, fact.status, fact.page) == (
        value,
        unit,
        qualifier,
        kind,
        status,
        page,
    )
    assert fact.section.startswith(REVIEW if year == 2022 else PLAN)


def test_the_figures_pinned_by_hand_cover_both_parts_that_hold_figures_and_part_three_holds_none() -> None:
    assert {year for *_, year, _, _ in FIGURES_BY_HAND} == {2022, 2023}
    assert len(FIGURES_BY_HAND) >= 30
    assert not [f for f in FIGURES if f.section.startswith(SELF)]
    assert [f for f in FACTS if f.section.startswith(SELF) and f.type == "honour"]  # part 三 still aims for titles


def test_a_rank_figure_keeps_where_it_holds() -> None:
    assert [(f.text, f.scope) for f in FIGURES if f.indicator == "投资竞争力"] == [
        ("第37位", "全国百强区"),
        ("全省第2位", "全省"),
        ("全市第1位", "全市"),
    ]


def test_money_that_only_classes_projects_is_no_figure() -> None:
    sentence = [f for f in FIGURES if "10亿元以上项目10个" in f.source]
    assert [f.text for f in sentence] == ["160个", "10个"]


# --------------------------------------------------------------------------- trust: values, qualifiers, years


def test_every_fact_stands_verbatim_in_its_source_sentence_and_its_chunk() -> None:
    chunks = {c.chunk_id: c for c in CHUNKS}
    for fact in FACTS:
        chunk = chunks[fact.chunk_id]
        assert fact.value in fact.source and fact.text in fact.source and fact.clause in fact.source, fact
        assert fact.source in chunk.text and (fact.section, fact.year) == (chunk.section, chunk.year)
        assert chunk.page <= fact.page <= chunk.page + 1, fact


def test_a_fact_is_on_the_page_its_words_stand_on_not_where_its_chunk_starts() -> None:
    revenue = the("figure", "一般公共预算收入", "126亿元")
    chunk = next(c for c in CHUNKS if c.chunk_id == revenue.chunk_id)
    assert (chunk.page, revenue.page) == (2, 3)  # "主要经济指标保持稳定增" ends page 2; "长。完成…126亿元" opens page 3
    # without the paragraphs, the chunk's page is all there is
    assert {f.page for f in extract_facts([chunk]) if f.text == "126亿元"} == {2}


def test_loading_a_report_file_gives_the_same_facts() -> None:
    assert load_facts(DEFAULT_REPORT) == FACTS


def test_every_figure_value_and_unit_are_written_in_its_clause() -> None:
    for fact in FIGURES:
        assert fact.text in fact.clause and fact.value in fact.text, fact
        assert fact.text.replace("余", "").replace("多", "").find(fact.value) >= 0 and fact.unit[-1] in fact.text, fact


def test_no_qualifier_next_to_a_figure_is_left_out() -> None:
    for fact in FIGURES:
        before, _, after = fact.source.partition(fact.text)
        assert not before.endswith(WORDS.qualifiers_before), fact
        assert not after.startswith(WORDS.qualifiers_after + WORDS.qualifiers_inside), fact
        for word in WORDS.qualifiers_before + WORDS.qualifiers_after + WORDS.qualifiers_inside:
            assert (word in fact.qualifier) == (word in fact.text), fact


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("超过60亿元", "超过"),
        ("60余家", "余"),
        ("30%以上", "以上"),
        ("突破75亿元", "突破"),
        ("2万余平方米", "余"),
        ("超过百亿元", "超过"),
    ],
)
def test_qualifiers_are_kept_as_written(text: str, qualifier: str) -> None:
    assert [f.qualifier for f in FIGURES if f.text == text] == [qualifier]


def test_only_the_figures_after_yuji_are_estimates() -> None:
    estimates = [f.text for f in FACTS if f.status == "estimate"]
    assert estimates == ["1265亿元", "14%", "4%", "7%", "397亿元", "19%", "49%", "85%"]
    assert all("预计" in f.source for f in FACTS if f.status == "estimate")
    # the honour in the same sentence was won, not estimated
    assert the("honour", "", "中国工业百强区").status == "achieved"


def test_statuses_follow_the_part() -> None:
    assert {f.status for f in FACTS if f.year == 2023 and not f.section.startswith("开篇")} == {"target"}
    assert {f.status for f in FACTS if f.year == 2022} == {"achieved", "estimate"}
    assert {f.status for f in FACTS if f.section == "开篇"} == {"stated"}


# Report-like text: figures, qualifiers, lists, quotes, ranks, honours, dates and the title block's words.
REPORT_LIKE = st.text(
    st.sampled_from(
        list("新增学位1.7万个5亿元%，、。：；等和及“”（）第一三位强全市超过余以上预计获评争创以为区长续明各位代表在会议上月日GU-")
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(REPORT_LIKE)
def test_any_sentence_yields_only_facts_written_in_it(sentence: str) -> None:
    for finding in facts_in_sentence(sentence):
        assert finding.text in sentence and finding.value in sentence, finding
        assert sentence[finding.start :].startswith(finding.text), finding


def test_no_year_heading_number_page_number_or_list_marker_becomes_a_figure() -> None:
    for fact in FIGURES:
        assert not re.fullmatch(r"(?:19|20)\d\d年", fact.text), fact  # "1906张" counts beds; "2022年" is a year
    for sentence in [
        "一、2022年工作回顾",
        "（三）彰显城市魅力，提高规划建设管理水平。",
        "—15—",
        "2023年是全面贯彻落实党的二十大精神的开局之年。",
        "第一，坚持稳中求进；第二，坚持创新驱动。",
        "（1）优化营商环境；2．推动消费升级。",
    ]:
        assert not [f for f in facts_in_sentence(sentence) if f.type in ("figure", "rank")], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "办理12345市民服务热线。",  # a phone number
        "新建1270个5G基站。",  # 5G is a name
        "历城二中女足勇夺中国青少年足球联赛U17冠军。",
        "60-79岁老年人疫苗接种率达到95%以上。",  # an age range
        "认真落实省“八抓20条”措施。",  # inside quotes
        "围绕“健康中国2030”战略部署。",
        "融创文旅城挂牌3A景区。",
    ],
)
def test_numbers_in_names_ranges_and_quotes_are_no_figures(sentence: str) -> None:
    figures = [f.text for f in facts_in_sentence(sentence) if f.type == "figure"]
    assert figures == [m for m in ("1270个", "95%以上") if m in sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "促进区内科技资源第一时间落地转化。",
        "区第十二届全民健身运动会。",
        "获评国家第五批节水型社会建设达标区。",
        "第三代半导体。",
    ],
)
def test_ordinals_in_names_are_no_ranks(sentence: str) -> None:
    assert not [f for f in facts_in_sentence(sentence) if f.type in ("rank", "figure")]


# --------------------------------------------------------------------------- ranks, honours, dates, places, people, lists


@pytest.mark.parametrize(
    "indicator, text, scope",
    [
        ("市场主体", "全市第一", "全市"),
        ("一般公共预算收入总量", "全市第三", "全市"),
        ("一般公共预算收入增幅", "全市第二", "全市"),
        ("济钢集团", "全国500强", "全国"),
        ("齐鲁制药", "第五", "中国医药工业百强榜"),
        ("残疾人事业", "全市前列", "全市"),
        ("全省“技术转移先进区”绩效评价", "第一", ""),
    ],
)
def test_ranks_written_without_a_number(indicator: str, text: str, scope: str) -> None:
    fact = the("rank", indicator, text)
    assert (fact.kind, fact.scope, fact.year) == ("rank", scope, 2022)


@pytest.mark.parametrize(
    "holder, title, kind, status",
    [
        ("黄河历城段", "省级美丽幸福示范河湖", "won", "achieved"),
        ("芦南村", "省级乡村旅游重点村", "won", "achieved"),
        ("芦南村", "全省乡村振兴齐鲁样板典型案例", "won", "achieved"),
        ("融创文旅城", "全省首批夜间文旅消费集聚区", "won", "achieved"),
        ("翡翠外滩社区", "国家级综合减灾示范社区", "won", "achieved"),
        ("", "第六批国家生态文明建设示范区", "won", "achieved"),
        ("刘公河", "省级美丽幸福示范河湖", "aimed", "target"),
        ("", "全省全域旅游示范区", "aimed", "target"),
    ],
)
def test_honours_won_and_aimed_for(holder: str, title: str, kind: str, status: str) -> None:
    fact = the("honour", holder, title)
    assert (fact.kind, fact.status) == (kind, status)


def test_a_creation_campaign_is_no_honour() -> None:
    assert not [f for f in FACTS if f.type == "honour" and "行动" in f.value]
    assert [
        f.value for f in facts_in_sentence("“无非法集资社区”创建工作入选全省县域金融工作典型案例。") if f.type == "honour"
    ] == ["全省县域金融工作典型案例"]


def test_the_title_block_names_the_speaker_the_date_and_the_venue() -> None:
    person = the("person", "历城区区长", "历城区区长续明")
    assert (person.value, person.role, person.status, person.page) == ("续明", "区长", "stated", 2)
    assert the("date", "政府工作报告", "2023年1月7日").value == "2023年1月7日"
    venue = the("place", "政府工作报告", "济南市历城区第十九届人民代表大会第二次会议")
    assert venue.role == "会场"


@pytest.mark.parametrize(
    "indicator, place",
    [
        ("研发生产区", "自贸区生物医药科技园"),
        ("医疗康养区", "唐冶北国际医疗健康城"),
        ("生产制造区", "临港生物医药产业园"),
        ("全省春季重大项目集中开工活动", "济南智能传感器产业园"),
    ],
)
def test_places_and_what_they_are_for(indicator: str, place: str) -> None:
    assert the("place", indicator, place).year == 2022


@pytest.mark.parametrize(
    "indicator, items",
    [
        ("推进重大产业项目建设", ("集成电路", "空天信息", "装备制造")),
        ("三条主线", ("医药", "医疗", "医养")),
        ("新建道路", ("临港北路", "兴港南路")),
        ("依托研发机构", ("超算研究院", "高等技术研究院", "泉城省实验室")),
        ("商事主体登记", ("零干预", "零材料", "零费用", "零跑动")),
    ],
)
def test_lists_keep_their_items_in_order(indicator: str, items: tuple[str, ...]) -> None:
    found = [f for f in FACTS if f.type == "enumeration" and f.indicator == indicator]
    assert [f.items for f in found] == [items]
    assert all(item in found[0].source for item in items)


def test_a_list_whose_first_item_cannot_be_told_is_left_out() -> None:
    assert not facts_in_sentence("全面构建涵盖研发、制造、流通的生物医药全产业链。")  # no 等, no quotes: the end is a guess
    assert not [f for f in facts_in_sentence("区域粮食储备安全保障体系、设施、仓储等方面持续完善。") if f.type == "enumeration"]


# --------------------------------------------------------------------------- pairs across years

PAIRS_BY_HAND = {
    # pair key: (2022 results, 2023 targets) as written
    "地区生产总值": (["1265亿元"], ["6%"]),
    "一般公共预算收入": (["126亿元", "6.8%"], ["11%"]),
    "固定资产投资": (["14%"], ["6%"]),
    "规上工业增加值": (["19%"], ["9%"]),
    "社会消费品零售总额": (["600亿元", "3%"], ["6%"]),
    "城镇居民人均可支配收入": (["4%"], ["5.5%"]),
    "农村居民人均可支配收入": (["7%"], ["5.5%以上"]),
    "城镇就业": (["1.7万人"], ["1.7万人"]),
    "城乡公益性岗位": (["2680个"], ["2000个"]),
    "中小学、幼儿园": (["19处"], ["12所"]),
    "森林抚育": (["5000亩"], ["2000亩"]),
    "高新技术企业": (["174家"], ["84家"]),
    "保障性租赁住房": (["2775套"], ["7100套"]),
}


def test_the_same_indicator_is_paired_across_years() -> None:
    pairs = {pair.key: pair for pair in pair_facts(FACTS)}
    for key, (results, targets) in PAIRS_BY_HAND.items():
        assert key in pairs, key
        assert [f.text for f in pairs[key].results] == results, key
        assert [f.text for f in pairs[key].targets] == targets, key
        assert {f.year for f in pairs[key].results} == {2022} and {f.year for f in pairs[key].targets} == {2023}


def test_only_figures_with_both_years_carry_a_pair_key() -> None:
    keyed = [f for f in FACTS if f.pair_key]
    assert keyed and all(f.type == "figure" for f in keyed)
    assert not the("figure", "新增学位", "1.7万个").pair_key  # the report gives no 2023 figure for school places
    assert not the("figure", "成功签约重点项目", "56个").pair_key  # 56 signed projects are not the 279 key projects


# --------------------------------------------------------------------------- non-answers


@pytest.mark.parametrize(
    "sentence, section",
    [
        ("经济发展稳中有进。", f"{REVIEW} > 一年来，我们坚持发展第一要务不动摇，区域综合实力稳步提升 > 经济发展稳中有进"),
        ("扩大有效投资。", f"{PLAN} > （一）坚决拉高标杆，推进经济高质量发展 > 扩大有效投资"),
        ("一、2022年工作回顾", ""),
        ("（一）坚决拉高标杆，推进经济高质量发展。", ""),
        ("今年全区经济社会发展的主要预期目标是：", PLAN),
        ("围绕上述目标任务，重点抓好以下七个方面工作：", PLAN),
        ("政府工作报告──2023年1月7日在济南市历城区第十九届人民代表大会第二次会议上历城区区长续明各位代表：", "开篇"),
        ("现在，我代表区人民政府向大会报告工作，请予审议，并请各位政协委员和其他列席会议的同志提出意见。", "开篇"),
        ("各位代表，千帆竞发、奋楫者先，乘风破浪、勇进者胜！", SELF),
    ],
)
def test_headings_lead_ins_the_title_block_and_the_closing_never_answer(sentence: str, section: str) -> None:
    assert is_non_answer(sentence, section)


@pytest.mark.parametrize(
    "sentence, section",
    [
        (
            "新建19处中小学、幼儿园，新增学位1.7万个。",
            f"{REVIEW} > 一年来，我们聚焦群众美好生活向往，民生保障水平不断提升 > 公共服务体系更加健全",
        ),
        ("地区生产总值增长6%，一般公共预算收入增长11%。", f"{PLAN} > 今年全区经济社会发展的主要预期目标是"),
        # a short event the outline took for a topic still answers "中国算力峰会落户了吗"
        ("中国算力峰会永久落户。", f"{REVIEW} > 一年来，我们坚定不移发展实体经济，主导产业不断成长壮大 > 中国算力峰会永久落户"),
    ],
)
def test_content_sentences_answer(sentence: str, section: str) -> None:
    assert not is_non_answer(sentence, section)


# --------------------------------------------------------------------------- the shape of a fact


def test_a_fact_is_frozen_and_becomes_a_plain_dict() -> None:
    fact = the("figure", "新增学位", "1.7万个")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.value = "2万"  # type: ignore[misc]
    data = fact.to_dict()
    assert {"indicator", "value", "unit", "qualifier", "kind", "year", "status", "section", "page", "source", "chunk_id"} <= set(
        data
    )
    assert (data["indicator"], data["value"], data["unit"], data["year"], data["status"]) == (
        "新增学位",
        "1.7",
        "万个",
        2022,
        "achieved",
    )
    assert data["items"] == [] and data["source"] == "新建19处中小学、幼儿园，新增学位1.7万个。"


def test_the_report_yields_every_type_of_fact_and_most_of_its_numbers_as_figures() -> None:
    types = {f.type for f in FACTS}
    assert types == {"figure", "rank", "honour", "date", "place", "enumeration", "person"}
    assert len(FIGURES) >= 150
    assert len(pair_facts(FACTS)) >= len(PAIRS_BY_HAND)


def test_no_chunks_no_facts() -> None:
    assert extract_facts([]) == []


def test_the_whole_report_is_read_well_under_two_seconds() -> None:
    start = time.perf_counter()
    extract_facts(CHUNKS)
    assert time.perf_counter() - start < 2.0


def test_a_missing_word_list_is_named_in_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(FactWordsError, match="cannot read the fact word list .*missing.toml"):
        load_fact_words(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[units]\ncount = ['个']\n", encoding="utf-8")
    with pytest.raises(FactWordsError, match="lacks the class"):
        load_fact_words(broken)

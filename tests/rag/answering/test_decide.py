"""Answer, partial answer or refusal when the passage shown does, or only seems to, hold the kind asked."""

from __future__ import annotations

import pytest

from rag.answering.decision import Reason, Verdict


def test_a_rank_after_the_subject_of_the_previous_turn_is_answered(run) -> None:
    _, decision, draft = run("在全省排第几？", "技术合同交易额突破75亿元", previous="历城去年技术合同交易额多少？")
    assert decision.verdict is Verdict.ANSWER
    assert "位列第一" in draft.text and "报告未提及" not in draft.text


def test_a_site_that_is_the_sentences_subject_answers_where(run) -> None:
    _, decision, draft = run("全省春季重大项目集中开工的主会场放在哪了？", "被省委确定为主会场")
    assert decision.verdict is Verdict.ANSWER and "济南智能传感器产业园" in draft.text


def test_how_many_there_are_is_refused_when_only_the_number_added_is_given(run) -> None:
    _, decision, draft = run("历城现在一共有多少个5G基站？", "新建1270个5G基站")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.KIND_NOT_GIVEN)
    assert draft.text.startswith("报告未提及") and "新建1270个5G基站" in draft.text  # what the report does give


def test_how_many_were_added_is_answered_by_the_number_added(run) -> None:
    _, decision, draft = run("去年建了几个5G基站？", "新建1270个5G基站")
    assert decision.verdict is Verdict.ANSWER and "1270个" in draft.text


def test_a_day_is_refused_when_only_the_year_of_the_event_is_known(run) -> None:
    _, decision, draft = run("首届中国草莓种业大会是几月几号办的？", "首届中国草莓种业大会")
    assert decision.reason is Reason.KIND_NOT_GIVEN and "首届中国草莓种业大会" in draft.text


def test_the_others_of_a_counted_whole_named_by_one_example_are_refused(run) -> None:
    _, decision, draft = run("另外5个是哪些？", "南全福片区等6个", previous="今年要改造几个老旧小区？")
    assert decision.refused and "南全福片区等6个老旧小区" in draft.text


def test_a_count_is_refused_when_only_its_rate_of_change_is_given(run) -> None:
    _, decision, draft = run("那具体发生了几起？", "安全生产事故起数", previous="去年历城安全生产事故起数下降多少？")
    assert decision.refused and "48.6%" in draft.text


def test_the_other_years_figure_named_more_fully_is_shown_under_its_year(run) -> None:
    _, decision, draft = run("2023年跨境电商进出口额是多少？", "外贸进出口额增长12%", "跨境电商进出口额达到16亿元")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert draft.text.startswith("报告未提及2023年") and "2022年（已完成）" in draft.text and "16亿元" in draft.text


def test_the_asked_years_own_figure_is_not_swapped_for_another_years_change(run) -> None:
    _, decision, _ = run(
        "比上一年增长了多少？", "跨境电商进出口额达到16亿元", "外贸进出口额增长12%", previous="去年历城跨境电商进出口额多少？"
    )
    assert decision.refused and decision.context[0].year == 2022


def test_an_event_the_report_never_names_is_not_dated_by_the_year_of_another(run) -> None:
    _, decision, draft = run("什么时候能开门看病？", "唐冶三甲医院主体封顶", previous="唐冶三甲医院建到哪一步了？")
    assert decision.reason is Reason.KIND_NOT_GIVEN and "主体封顶" in draft.text


def test_items_the_asked_year_names_one_per_clause_are_its_list(run) -> None:
    _, decision, draft = run("去年历城开通了哪些铁路？", "黄东联络线通车运营", "开工济滨高铁等62个新项目")
    assert decision.verdict is Verdict.ANSWER and decision.chosen[0].year == 2022
    assert "济莱高铁" in draft.text and "济滨高铁" not in draft.text  # the other year's list is not swapped in


def test_a_comparison_with_a_year_no_report_covers_is_refused_unless_a_change_is_stated(run) -> None:
    _, decision, draft = run("比前年多吗？", "新建1270个5G基站", previous="去年新建了多少个5G基站？")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.YEAR_NOT_COVERED)
    assert draft.text.startswith("报告未提及") and "2021年" in draft.text

    _, decision, draft = run("比前年涨了多少？", "累计到发7200标箱", previous="铁海联运班列去年跑了多少？")
    assert decision.verdict is Verdict.ANSWER and "增长448%" in draft.text  # measured against the year before


def test_where_the_counted_items_are_is_refused_when_the_report_only_counts_them(run) -> None:
    _, decision, draft = run("新建的残疾人之家都分布在哪些街道？", "新建残疾人之家15家")
    assert decision.refused and draft.text.startswith("报告未提及")
    assert "安置房" not in draft.text  # the next sentence is not a list of what was counted


def test_a_stock_is_not_answered_by_a_number_newly_fostered(run) -> None:
    _, decision, _ = run("现在全区一共有几家独角兽企业？", "新培育独角兽")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.KIND_NOT_GIVEN)


def test_where_to_sign_up_is_a_procedure_the_report_does_not_give(run) -> None:
    _, decision, draft = run("今年免费装烟感报警器去哪报名？", "为15万户居民免费安装烟感报警器")
    assert decision.refused and draft.text.startswith("报告未提及")


def test_a_duration_is_not_answered_by_a_count_of_households(run) -> None:
    _, decision, _ = run("租赁住房补贴能发几个月？", "为840户家庭发放租赁住房补贴")
    assert decision.refused


def test_a_level_the_asked_year_only_names_is_given_from_the_other_year_under_its_year(run) -> None:
    _, decision, draft = run("2023年低保标准提高到多少？", "关心关爱残疾人、低保等困难群体", "提高到995元")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert draft.text.startswith("报告未提及2023年") and "2022年（已完成）" in draft.text and "995元" in draft.text


def test_a_figure_per_household_is_refused_when_the_report_counts_the_households(run) -> None:
    _, decision, draft = run("租房补贴每户一个月能拿多少？", "为840户家庭发放租赁住房补贴")
    assert decision.refused and "840户" in draft.text  # what the report does give


def test_a_figure_per_person_is_answered_by_a_clause_that_distributes(run) -> None:
    _, decision, draft = run("低保每个月能领多少钱？", "提高到995元")
    assert decision.verdict is Verdict.ANSWER and "995元" in draft.text


def test_the_items_of_a_whole_named_only_by_its_count_are_refused(run) -> None:
    _, decision, draft = run("行政处罚“四张清单”具体是哪四张？", "行政处罚“四张清单”")
    assert decision.refused and "四张清单" in draft.text
    _, decision, _ = run("14只产业基金分别是哪些？", "参与设立14只产业基金")
    assert decision.refused


def test_a_quoted_figure_of_another_year_is_found_beyond_the_passages_retrieved(run) -> None:
    _, decision, draft = run("去年279个重点项目都开工了吗", "183个重点项目全部开工建设")
    assert (("279个", 2023),) == decision.figure_years
    assert "279个是2023年的数字" in draft.text and "谋划推进279个重点项目" in draft.text


def test_the_day_of_the_report_is_read_from_the_title_block(run) -> None:
    _, decision, draft = run("哪天作的报告？", "2023年1月7日在济南市历城区")
    assert not decision.refused and "2023年1月7日" in draft.text


def test_the_others_of_a_whole_named_by_one_example_are_refused_whatever_the_count(run) -> None:
    _, decision, draft = run("唐冶北等3个城市设计入选省典型案例，另外俩是啥", "唐冶北等3个城市设计")
    assert decision.refused and "唐冶北等3个城市设计" in draft.text


def test_the_year_of_an_achieved_event_dates_only_that_event(run) -> None:
    _, decision, draft = run("华山环宇城什么时候开业的？", "华山环宇城盛大开业")
    assert decision.verdict is Verdict.ANSWER and "2022年" in draft.text
    _, decision, _ = run("中国算力峰会一般啥时候开", "中国算力峰会永久落户")
    assert decision.refused


def test_a_count_asked_of_additions_is_answered_by_the_number_added(run) -> None:
    _, decision, draft = run("去年新修兴港南路这些路一共几条", "新建临港北路、兴港南路等21条道路")
    assert decision.verdict is Verdict.ANSWER and "21条" in draft.text


def test_where_each_of_several_is_is_answered_by_the_list_that_names_them_by_site(run) -> None:
    _, decision, draft = run(
        "分别在哪儿？", "新建山大路、全福、唐冶社区卫生服务中心", previous="今年要新建几个社区卫生服务中心？"
    )
    assert not decision.refused and "山大路、全福、唐冶" in draft.text


def test_a_list_of_things_no_sentence_names_is_refused(run) -> None:
    _, decision, _ = run("这钱咋分，哪些企业能拿到？", "10亿元产业发展资金", previous="今年区里有多少产业发展资金？")
    assert decision.refused


def test_a_year_no_report_covers_is_refused_with_the_covered_years_figure_beside(run) -> None:
    _, decision, draft = run("前年历城的GDP是多少？", "预计实现地区生产总值1265亿元")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.YEAR_NOT_COVERED)
    assert draft.refused and draft.text.startswith("报告未提及2021年") and "2022年（预计）" in draft.text
    assert "1265亿元" in draft.text and draft.text.endswith("（不是2021年的）")


def test_a_total_the_asked_year_only_names_is_given_from_the_year_that_writes_it_apart(run) -> None:
    _, decision, draft = run("今年市场主体总量有多少户？", "持续壮大市场主体总量", "总量达到21.7万户")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert "21.7万户" in draft.text and "2022年（已完成）" in draft.text


def test_how_much_a_past_year_grew_is_not_answered_by_a_later_years_planned_growth(run) -> None:
    _, decision, _ = run("跨境电商进出口额去年比前年涨了百分之几啊", "跨境电商进出口额达到16亿元", "外贸进出口额增长12%")
    assert decision.refused


def test_a_figure_the_citizen_quotes_that_the_report_never_writes_is_a_topic_it_lacks(run) -> None:
    _, decision, _ = run("80岁以上老人打疫苗的比例是多少？", "60-79岁老年人疫苗接种率达到95%以上")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.NOT_IN_REPORT)


# Each: the question, the passage shown, and why that passage does not answer it.
DETAILS_NOT_GIVEN = [
    (
        "今年12345热线要办多少件？",
        "持续提升12345市民服务热线办理满意度",
        "a number that names something does not answer how many",
    ),
    ("稼轩人才政策能给多少补贴？", "擦亮“稼轩人才”品牌", "a vague quantity is not a figure"),
    ("279个重点项目中投资额最大的是哪一个？", "谋划推进279个重点项目", "a superlative is refused when the report only counts"),
    (
        "港九美丽乡村先行区具体包括哪几个村",
        "高标准规划建设港九美丽乡村先行区",
        "a list asked at one level needs items of that level",
    ),
    ("全福零工市场在哪条街？", "规范发展全福零工市场", "a market is not a place"),
    ("地铁今年哪条线能通车？", "黄东联络线通车运营", "a list of another year does not answer a list asked of this year"),
    (
        "历城二中彩石校区能招多少学生？",
        "投资9亿元的彩石校区建成启用",
        "a count of something the sentence does not name is refused",
    ),
    (
        "去年参与设立的产业基金里，规模最大的那只有多少亿？",
        "参与设立14只产业基金",
        "the first of several is refused when the report gives only their total",
    ),
    ("“四减四增”具体是减哪四样、增哪四样？", "开展新一轮“四减四增”行动", "a slogan made of counts does not list its items"),
    ("唐冶三甲医院啥时候能开门看病？", "唐冶三甲医院主体封顶", "an event asked after when is read even when more words follow"),
]


@pytest.mark.parametrize("question, passage, why", DETAILS_NOT_GIVEN, ids=[why for _, _, why in DETAILS_NOT_GIVEN])
def test_a_detail_the_shown_sentence_does_not_give_is_refused(run, question: str, passage: str, why: str) -> None:
    _, decision, _ = run(question, passage)
    assert decision.refused, why


def test_whether_something_happened_this_year_is_answered_by_the_year_it_did(run) -> None:
    _, decision, draft = run("济莱高铁今年开通了吗？", "济莱高铁顺利开通", "开工济滨高铁等62个新项目")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert draft.text.startswith("报告未提及2023年济莱高铁") and "2022年（已完成）" in draft.text and "顺利开通" in draft.text


def test_a_follow_up_asking_the_last_answer_again_of_a_year_that_lacks_it_is_refused(run) -> None:
    _, decision, _ = run("今年还建吗？", "新建1270个5G基站", previous="去年历城新建了多少个5G基站？")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.NOT_IN_REPORT)


def test_a_yes_no_question_shows_the_other_years_fuller_sentence_first(run) -> None:
    _, decision, draft = run("今年唐冶三甲医院封顶了没？", "全力推进唐冶三甲医院", "唐冶三甲医院主体封顶")
    assert decision.verdict is Verdict.ANSWER and [c.year for c in decision.chosen] == [2022, 2023]
    assert draft.text.index("主体封顶") < draft.text.index("全力推进")


def test_what_a_count_is_of_is_its_key_over_the_citizens_other_words(run) -> None:
    _, decision, draft = run("今年孩子上学新增了多少学位？", "努力让每个孩子身心健康", "新增学位1.7万个")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert draft.text.startswith("报告未提及2023年学位") and "1.7万个" in draft.text


def test_the_year_of_a_project_under_way_does_not_date_an_event_it_does_not_name(run) -> None:
    _, decision, draft = run("新东站安置房啥时候能交房？", "新东站等5个安置房项目有序推进")
    assert decision.reason is Reason.KIND_NOT_GIVEN and draft.text.startswith("报告未提及")

    _, decision, _ = run("华山环宇城什么时候开业的？", "华山环宇城盛大开业")
    assert decision.verdict is Verdict.ANSWER  # 开业 is the event the year dates


def test_a_list_the_report_speaks_of_only_as_a_whole_is_refused(run) -> None:
    _, decision, draft = run("历城职专有哪些优势专业？", "推进历城职专优势专业建设")
    assert decision.reason is Reason.KIND_NOT_GIVEN and "推进历城职专优势专业建设" in draft.text

    _, decision, draft = run("历城有哪些国家级的孵化器？", "中物九鼎成功备案国家级科技企业孵化器")
    assert decision.verdict is Verdict.ANSWER and "中物九鼎" in draft.text  # one named is a list of one


def test_a_verb_done_is_not_the_key_word_of_a_list(run) -> None:
    # "建了" matches 新建 in the first passage; the parks are named in the second, under 黄河淤背区 (黄河边).
    _, decision, draft = run("黄河边上建了哪几个郊野公园？", "新建十里堡等4处社区公园", "黄河淤背区建成堰头")
    assert decision.verdict is Verdict.ANSWER and "堰头、付家郊野公园" in draft.text


def test_a_paired_figure_of_something_else_than_the_noun_counted_does_not_answer(run) -> None:
    # 2023's 12所 pairs with 2022's 19处 schools; only 2022 counts 学位.
    _, decision, draft = run("今年能新增多少个上学的学位？", "新建改扩建中小学、幼儿园12所", "新增学位1.7万个")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert "1.7万个" in draft.text


def test_a_part_of_the_previous_whole_is_answered_by_its_own_figure_in_the_wholes_paragraph(run) -> None:
    # 279个重点项目 is named in the sentence before 62个新项目, in the same paragraph.
    _, decision, draft = run(
        "其中新开工的有几个？", "开工济滨高铁等62个新项目", "183个重点项目", previous="今年计划推进多少个重点项目？"
    )
    assert decision.verdict is Verdict.ANSWER and "62个" in draft.text and "183个" not in draft.text


def test_a_part_counted_only_together_with_others_is_refused(run) -> None:
    _, decision, draft = run("其中幼儿园占几所？", "新建19处中小学", previous="去年新建了多少所学校和幼儿园？")
    assert decision.reason is Reason.KIND_NOT_GIVEN and "19处" in draft.text  # 19处 counts schools and kindergartens

    _, decision, _ = run("其中人大代表建议有多少件？", "政协提案451件", previous="去年办了多少件人大建议和政协提案？")
    assert decision.refused


def test_a_name_asked_of_a_thing_the_report_only_describes_or_counts_is_refused(run) -> None:
    _, decision, draft = run("历城控股收购的那家上市公司叫啥？", "A股首家监理行业上市公司")
    assert decision.reason is Reason.KIND_NOT_GIVEN and draft.text.startswith("报告未提及上市公司的具体名称")

    _, decision, _ = run("今年新建的9处公园都叫什么名字？", "古树公园等9处公园")
    assert decision.reason is Reason.KIND_NOT_GIVEN

    _, decision, _ = run("去年承办的那个全国比赛叫什么？", "承办全国职业院校技能大赛")
    assert decision.verdict is Verdict.ANSWER  # named in the report's own words (大赛)


def test_how_long_something_takes_is_answered_by_a_span_of_time(run) -> None:
    _, decision, draft = run("现在新开一家公司多久能办下来？", "商事主体登记“零干预", "企业开办“半日办结”")
    assert decision.verdict is Verdict.ANSWER and "半日办结" in draft.text


def test_an_event_of_another_thing_under_the_same_heading_does_not_date_the_thing_asked(run) -> None:
    # The paragraph's heading is "中国算力峰会永久落户"; its third sentence holds 举办, of another event.
    _, decision, _ = run("中国算力峰会每年什么时候举办？", "中国算力峰会永久落户")
    assert decision.refused and decision.reason is Reason.KIND_NOT_GIVEN


def test_a_figure_per_item_is_not_a_total(run) -> None:
    _, decision, _ = run("每张床位政府补贴多少钱？", "新增家庭养老床位150张", previous="今年新增家庭养老床位多少张？")
    assert decision.refused


def test_a_yes_no_about_something_the_topics_sentence_does_not_name_is_refused(run) -> None:
    _, decision, draft = run("企业上云有补贴吗？", "企业上云数量超过8000家")
    assert decision.reason is Reason.KIND_NOT_GIVEN and "8000家" in draft.text  # what the report does say

    _, decision, _ = run("打零工找活，区里有专门的市场吗？", "规范发展全福零工市场")
    assert decision.verdict is Verdict.ANSWER


def test_a_plan_asked_that_only_a_past_years_result_speaks_to_is_refused_with_the_result_beside(run) -> None:
    _, decision, draft = run("今年低保会再涨到每月多少钱？", "关心关爱残疾人、低保等困难群体", "基本生活保障分别提高到995元")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.OTHER_YEAR_ONLY)
    assert draft.refused and draft.text.startswith("报告未提及2023年低保的目标或计划")
    assert "2022年（已完成）" in draft.text and "995元" in draft.text and draft.text.endswith("（不是2023年的计划）")


def test_a_plan_whose_year_holds_a_figure_in_other_words_keeps_both_years(run) -> None:
    # The 2023 sentence may hold the target under words the question does not use (亿元以上项目 for 过亿元项目).
    _, decision, draft = run(
        "今年目标是多少个？", "引进过亿元项目142个", "引进亿元以上项目160个", previous="去年引进了多少个过亿元项目？"
    )
    assert not decision.refused and "160个" in draft.text


def test_the_same_figure_asked_without_plan_words_is_a_year_trap_answered_under_its_year(run) -> None:
    _, decision, draft = run("今年低保每个月给多少钱？", "关心关爱残疾人、低保等困难群体", "基本生活保障分别提高到995元")
    assert (decision.verdict, decision.reason) == (Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY)
    assert "995元" in draft.text and "2022年（已完成）" in draft.text


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("请问省知识产权交易中心选址在何处？", "建设省知识产权交易中心"),
        ("环联夜市在哪条路上？", "提升环联夜市等夜间经济集聚区档次"),
    ],
)
def test_where_something_is_is_refused_when_its_sentence_names_no_place_but_its_own_name(run, question, passage) -> None:
    _, decision, draft = run(question, passage)
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.KIND_NOT_GIVEN)
    assert "具体地点" in draft.text


def test_a_month_is_refused_with_the_years_figure_beside(run) -> None:
    _, decision, draft = run("上个月历城12345热线接了多少件？", "办理12345市民服务热线64.9万件")
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.PERIOD_NOT_COVERED)
    assert draft.refused and draft.text.startswith("报告未提及上个月的数据")
    assert "64.9万件" in draft.text and draft.text.endswith("（是全年的，不是上个月的）")


def test_a_follow_up_about_the_previous_thing_once_built_is_refused_by_a_figure_of_something_else(run) -> None:
    _, decision, _ = run(
        "建好以后有多少张床位？", "唐冶三甲医院主体封顶", "新增家庭养老床位150张", previous="唐冶三甲医院现在建到哪一步了？"
    )
    assert decision.refused


def test_how_much_a_past_year_grew_is_refused_when_only_a_later_years_planned_growth_is_given(run) -> None:
    _, decision, draft = run(
        "那去年实际增长了多少？", "地区生产总值增长6%", "预计实现地区生产总值1265亿元", previous="今年GDP预期增长多少？"
    )
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.OTHER_YEAR_ONLY)
    assert draft.text.startswith("报告未提及2022年") and "2023年（计划）" in draft.text
    assert draft.text.endswith("（不是2022年的实际情况）")


def test_a_past_years_growth_in_the_clause_about_the_topic_keeps_both_years(run) -> None:
    _, decision, draft = run(
        "去年农村人的收入涨了多少？", "农村人均可支配收入增长5.5%以上", "城乡居民人均可支配收入分别增长4%和7%"
    )
    assert not decision.refused and "7%" in draft.text


def test_a_target_asked_in_a_unit_is_not_given_by_the_years_figure_in_another_unit(run) -> None:
    _, decision, draft = run(
        "今年目标是多少天？", "综合指数提高5%以上", "优良天数达到244天", previous="去年空气优良天数有多少天？"
    )
    assert (decision.verdict, decision.reason) == (Verdict.REFUSE, Reason.OTHER_YEAR_ONLY)
    assert "244天" in draft.text and "2022年（已完成）" in draft.text


def test_counting_what_is_arranged_is_not_asking_a_rank(run) -> None:
    _, decision, draft = run("2023年保障房项目安排多少个？", "策划启动7个保障房项目")
    assert decision.verdict is Verdict.ANSWER and "7个" in draft.text


@pytest.mark.parametrize(
    "question, sentence",
    [
        # Which ones, of a batch, of a whole named by a numeral or of a count the question quotes: no item is named.
        ("今年新打造的品牌学校是哪几所？", "打造新一批品牌学校"),
        ("三高沿线是哪三高？", "推进“三高”沿线环境综合整治"),
        ("城市品质十大提升行动具体是哪十项？", "开展城市品质十大提升行动"),
        ("提请大会审议的15件民生实事具体包括哪些？", "精心遴选了15件民生实事"),
        # "“五朵金花”片区、水美乡村二期、白云湖荷塘月色、“十里清河畔”" lists four projects, one of them the five asked.
        ("五朵金花具体指哪五个地方？", "精心筹划“五朵金花”片区"),
        # Which comes first: the sentence only counts the lines.
        ("那6条轨道交通线，哪条最先通车？", "区域内6条轨道交通线"),
        # A breakdown into parts the sentence does not name: it gives the whole.
        ("新增的1.7万个学位里，幼儿园、小学、初中各多少个？", "新增学位1.7万个"),
        # Where something moved to: the sentence says that it moved.
        ("济南农商行总部迁到历城哪条路了？", "济南农商行总部迁址入驻"),
    ],
)
def test_what_the_sentence_does_not_give_is_refused_with_the_sentence_shown(run, question: str, sentence: str) -> None:
    _, decision, draft = run(question, sentence)
    assert decision.refused and sentence in draft.text


@pytest.mark.parametrize(
    "question, sentence, expected",
    [
        ("2023年区应急能力建设有哪些具体安排？", "建设区应急指挥中心", ("综合物资储备库",)),  # 安排 is no thing asked of
        ("环联夜市今年有啥变化不", "提升环联夜市等夜间经济集聚区档次", ("夜间经济集聚区",)),  # 变化 likewise
        ("去年新增瞪羚企业和专精特新企业各几家？", "瞪羚企业40家", ("40家", "95家")),  # each part is named
    ],
)
def test_what_the_sentence_gives_is_answered(run, question: str, sentence: str, expected: tuple[str, ...]) -> None:
    _, decision, draft = run(question, sentence)
    assert not decision.refused and all(e in draft.text for e in expected)


def test_who_delivered_the_report_on_behalf_of_the_government_is_read_from_the_title_block(run) -> None:
    for question in ("本次政府工作报告是谁代表区政府作的？", "本次政府工作报告是由谁代表区人民政府作的？"):
        _, decision, draft = run(question, "历城区区长续明")
        assert not decision.refused and "续明" in draft.text, question


def test_what_a_term_means_is_answered_by_the_sentence_that_uses_it(run) -> None:
    _, decision, draft = run("惠企政策免审即享是啥意思", "推动惠企政策“免审即享”")
    assert not decision.refused and "免审即享" in draft.text


def test_a_list_given_by_examples_of_an_approximate_count_is_answered_with_them(run) -> None:
    _, decision, draft = run("去年签约落地的优质企业有哪些？", "和普威视等60余家优质企业签约落地")
    assert not decision.refused and "和普威视" in draft.text

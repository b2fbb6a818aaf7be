"""Stage 1, understand: a question (and the turn before) → an Intent, with no model."""

from __future__ import annotations

import pytest

from rag.answering.intent import Kind, SmallTalk


def test_a_question_is_normalised_before_it_is_read(understander) -> None:
    intent = understander.understand("歷城區去年GDP多少？")
    assert intent.text == "历城区去年GDP多少？"
    assert intent.years == (2022,) and intent.kind is Kind.AMOUNT
    assert "地区生产总值" in intent.expansions


def test_this_year_is_the_year_the_report_plans_for(understander, knowledge) -> None:
    assert understander.understand("今年GDP目标增长多少？").years == (knowledge.report_year,)


def test_a_year_only_compared_with_is_not_asked(understander) -> None:
    intent = understander.understand("去年安全事故比前年少了多少？")
    assert intent.years == (2022,) and intent.compared_years == (2021,)


def test_topic_words_put_the_nouns_first(understander) -> None:
    intent = understander.understand("大悦城什么时候开业？")
    assert intent.topic[0] in "大悦城" and intent.topic.index("开业") > 0  # the name before the event
    assert intent.kind is Kind.DATE


def test_a_one_character_verb_after_a_noun_is_not_part_of_its_name(understander) -> None:
    # "热线办了多少件": the report's "热线办理" must not make "热线办" a name, which the 2022 figure
    # ("办理12345市民服务热线64.9万件") does not hold.
    assert understander.understand("今年12345热线办了多少件？").topic == ("热线",)


def test_the_parts_of_the_districts_name_are_no_topic(understander) -> None:
    # "历城区" is left out of the search words, and its part "城区" must not stay behind as what the question is about.
    assert "城区" not in understander.understand("历城区区委书记是谁？").topic
    assert "城区" in understander.understand("中心城区防洪排涝怎么弄").topic


def test_a_word_the_report_never_uses_is_missing(understander) -> None:
    assert understander.understand("历城区有多少人口").missing == ("人口",)
    assert understander.understand("今年要新开工多少个项目").missing == ()  # its head, 开工, is in the report


def test_a_missing_word_whose_value_is_asked_decides_beside_a_specific_one(understander) -> None:
    assert understander.understand("保租房租金一个月多少钱？").missing == ("租金",)  # 租金 is what is asked
    assert understander.understand("主動公開政務資訊多少條？").missing == ()  # 资讯 only names 信息, which is counted
    # A rate the report never names is the indicator asked, beside 城镇 and 目标 that it does name.
    assert "失业率" in understander.understand("2023年城镇登记失业率控制目标是多少？").missing
    # So is a price ("居民消费价格", the consumer price index), beside 居民, 消费 and 目标.
    assert "价格" in understander.understand("2023年居民消费价格涨幅的控制目标是多少？").missing


def test_an_untranslated_english_word_is_missing_only_without_a_chinese_topic(understander) -> None:
    assert understander.understand("去年新增了多少学位，比如boarding那种").missing == ()  # an aside
    assert understander.understand("历城区有多少人口，population").missing == ("人口",)
    assert understander.understand("what is the population").missing != ()  # English is all it asks about


def test_figures_the_citizen_quotes_are_kept_to_be_checked(understander) -> None:
    assert understander.understand("今年免费装烟感报警器是6.5万户吗？").quoted_figures == ("6.5万户",)
    assert understander.understand("去年12345热线办了多少件").quoted_figures == ("12345",)


def test_greetings_thanks_and_help_are_small_talk(understander) -> None:
    assert understander.understand("你好").small_talk is SmallTalk.GREETING
    assert understander.understand("谢谢！").small_talk is SmallTalk.THANKS
    assert understander.understand("你能做什么？").small_talk is SmallTalk.HELP


def test_a_follow_up_without_a_topic_takes_the_previous_topic_and_kind(understander) -> None:
    previous = understander.understand("去年新增了多少家高企？")
    intent = understander.understand("那今年打算新增几家？", previous)
    assert intent.followup and intent.years == (2023,)
    assert "高企" in intent.inherited_topic and "高企" in intent.search_text


def test_a_follow_up_keeps_the_previous_year_when_it_names_none(understander) -> None:
    previous = understander.understand("历城投资竞争力去年在全国百强区排第几？")
    intent = understander.understand("那在全省呢？", previous)
    assert intent.years == (2022,) and intent.kind is Kind.RANK and intent.kind_inherited


def test_a_complete_question_after_an_unrelated_one_stands_alone(understander) -> None:
    previous = understander.understand("历城区有多少人口")
    intent = understander.understand("去年新增城镇就业多少人？", previous)
    assert not intent.followup and intent.missing == ()


def test_that_x_replaces_the_topic_and_a_bare_attribute_continues_it(understander) -> None:
    previous = understander.understand("唐冶三甲医院现在什么进度？")
    assert understander.understand("那历城职专呢？", previous).replaces_topic
    continued = understander.understand("建成后有多少张床位？", previous)
    assert continued.followup and not continued.replaces_topic and "床位" in continued.topic


def test_a_yes_no_follow_up_keeps_its_own_kind(understander) -> None:
    previous = understander.understand("去年历城新建了多少个5G基站？")
    assert understander.understand("今年还建吗？", previous).kind is Kind.YES_NO


def test_how_much_an_indicator_is_asks_for_a_level_not_its_growth(understander) -> None:
    assert understander.understand("2023年历城GDP是多少？").level
    assert not understander.understand("2023年GDP增长多少？").level  # a change
    assert not understander.understand("今年GDP目标是多少？").level  # a target may be a growth rate


def test_an_amount_with_a_unit_is_checked_as_a_figure_not_read_as_a_year(understander) -> None:
    intent = understander.understand("去年森林抚育了2000亩？")
    assert intent.years == (2022,) and intent.quoted_figures == ("2000亩",)


def test_a_latin_abbreviation_is_read_as_the_reports_name_for_it_unless_a_share_of_it_is_asked(understander) -> None:
    assert understander.understand("历城去年GDP多少？").topic == ("地区生产总值",)
    assert "gdp" in understander.understand("去年研发投入占GDP比重多少").topic


def test_a_change_or_a_ratio_asked_is_not_a_level(understander) -> None:
    assert not understander.understand("安全生产事故起数和死亡人数分别下降多少？").level
    assert not understander.understand("政务上云率现在是多少？").level


def test_a_citizens_word_known_only_through_the_reports_term_ranks_by_that_term(understander) -> None:
    # "课后托管" is never written in the report, but its term 课后延时服务 is more specific than 学校.
    assert understander.understand("学校课后托管覆盖率多少？").topic[0] == "课后托管"


def test_a_noun_in_the_askers_own_clause_is_not_missing(understander) -> None:
    assert understander.understand("我开个小饭馆的，想问问去年给企业减税降费一共减了多少钱").missing == ()
    assert understander.understand("我住在历城，历城区有多少人口？").missing == ("人口",)  # asked about: still missing


def test_a_noun_that_only_describes_one_the_report_uses_is_not_missing(understander) -> None:
    assert understander.understand("做买卖的市场主体现在有多少户？").missing == ()
    assert understander.understand("历城区有多少人口？").missing == ("人口",)


def test_a_missing_word_beside_a_specific_one_is_the_citizens_description(understander) -> None:
    assert understander.understand("22年科小入库多少家？").missing == ()
    assert understander.understand("今年村里给小孩玩耍学习的儿童之家要建多少处？").missing == ()
    assert "学生" in understander.understand("历城二中彩石校区能招多少学生？").missing  # what is counted
    assert "电话" in understander.understand("区长办公室电话是多少？").missing  # what is asked the value of


def test_the_word_that_opens_a_follow_up_is_not_glued_onto_its_topic(understander) -> None:
    previous = understander.understand("历城区政府今年要弘扬什么工作作风？")
    intent = understander.understand("那惠企政策上有啥新提法？", previous)
    assert intent.replaces_topic and not any(t.startswith("那") for t in intent.topic)


def test_a_category_named_after_a_pronoun_is_the_previous_turns_thing(understander) -> None:
    previous = understander.understand("历城二中女足拿了什么冠军？")
    intent = understander.understand("这个学校还有啥荣誉？", previous)
    assert "学校" not in intent.topic and not intent.replaces_topic and "历城二中" in intent.inherited_topic
    intent = understander.understand("它新建的那个校区投了多少钱？", previous)
    assert intent.topic == () and "历城二中" in intent.inherited_topic  # 那个 points back: no topic word either


def test_a_short_question_whose_only_known_word_is_a_verb_leans_on_the_previous_turn(understander) -> None:
    previous = understander.understand("去年历城引进品牌首店多少家？")
    intent = understander.understand("今年计划引进多少？", previous)
    assert intent.followup and "品牌首店" in intent.inherited_topic
    assert not understander.understand("去年GDP多少？", previous).followup  # a noun of its own: complete
    previous = understander.understand("去年残疾人事业有啥进展？")
    intent = understander.understand("今年还要再建15家吗？", previous)  # ten characters, but 还要, 再建 name nothing
    assert intent.followup and "残疾人事业" in intent.inherited_topic


def test_a_count_in_chinese_numerals_is_not_a_topic(understander) -> None:
    assert "四个" not in understander.understand("今年办营业执照说要做到“四零”，是哪四个零？").topic


def test_what_a_count_is_of_is_the_noun_after_how_many(understander) -> None:
    assert understander.understand("唐冶三甲医院有多少张床位？").measure == "床位"
    assert understander.understand("去年入选了几个人？").measure == ""  # a unit, not a thing
    assert understander.understand("去年招商拉来了几个上亿的项目？").measure == ""  # 项目 is generic
    assert understander.understand("今年要把多少地从小块并成大块来种？").measure == ""  # 从 ends the noun: 地, too short


def test_what_a_general_question_asks_the_report_to_name_is_its_measure(understander) -> None:
    assert understander.understand("今年买房的刚需有啥补贴？").measure == "补贴"
    assert understander.understand("针对共享单车乱停放，区里有何具体处罚标准？").measure == "处罚标准"
    assert understander.understand("那今年对这所学校有啥打算？").measure == ""  # generic: any plan answers
    assert understander.understand("歷城在保險方面有什麼全省首個的舉措？").measure == ""  # 举措 is generic too


def test_a_change_asked_of_an_indicator_named_with_a_level_word_is_no_level(understander) -> None:
    assert not understander.understand("那整个外贸进出口总额涨了多少？").level


def test_a_when_question_names_the_event_it_asks_the_date_of(understander) -> None:
    assert understander.understand("唐冶三甲医院啥时候能开诊？").event == "开诊"
    assert understander.understand("济莱高铁是哪年开通的").event == "开通"
    assert understander.understand("济莱高铁开通了吗").event == ""


def test_a_question_that_names_a_thing_of_its_own_can_stand_alone(understander) -> None:
    assert understander.names_own_topic(understander.understand("森林抚育多少亩？"))
    assert not understander.names_own_topic(understander.understand("今年有什么进展？"))  # generic words only
    assert not understander.names_own_topic(understander.understand("有补贴吗？"))  # a bare common noun


def test_openers_closers_and_pronouns_refer_back(understander) -> None:
    assert understander.refers_back(understander.understand("那今年呢？"))
    assert understander.refers_back(understander.understand("这个项目今年还建吗？"))
    assert not understander.refers_back(understander.understand("森林抚育多少亩？"))


def test_a_figure_quoted_to_confirm_is_a_yes_no_question_though_a_noun_is_an_amount_cue(understander) -> None:
    assert understander.understand("今年外贸进出口总额增长40%以上了吗？").kind is Kind.YES_NO
    assert understander.understand("外贸进出口总额增长了多少？").kind is not Kind.YES_NO


def test_something_done_is_never_a_missing_topic(understander) -> None:
    assert understander.understand("听说去年历城搞了个全省头一个保险联盟？").missing == ()


def test_what_a_name_is_asked_of(understander) -> None:
    assert understander.understand("历城控股收购的那家上市公司叫啥？").measure == "上市公司"
    assert understander.understand("今年新建的9处公园都叫什么名字？").measure == "公园"
    assert understander.understand("历城区区长叫什么名字？").measure == ""
    assert understander.understand("历城控股并购的是哪个行业的上市公司？").measure == ""  # asks the sector


def test_a_figure_pointed_at_continues_the_previous_turn_and_names_no_topic(understander) -> None:
    previous = understander.understand("今年要新建多少条市政道路？")
    intent = understander.understand("去年这44条修完了吗？", previous)
    assert intent.followup and intent.years == (2022,) and "条修" not in intent.topic
    assert "市政道路" in intent.inherited_topic


def test_what_a_yes_no_asks_exists(understander) -> None:
    assert understander.understand("企业上云有补贴吗？").measure == "补贴"
    assert understander.understand("区里有没有专门的市场？").measure == "市场"
    assert understander.understand("济莱高铁开通了吗？").measure == ""
    assert understander.understand("打零工的有没有什么新去处？").measure == ""  # asks what there is


def test_a_question_pointing_at_the_previous_thing_is_a_follow_up_not_off_topic(understander) -> None:
    previous = understander.understand("历城要新建44条市政道路，是吗？")
    intent = understander.understand("这是去年已经修好的吗？", previous)
    assert intent.followup and not intent.off_topic and "市政道路" in intent.inherited_topic


def test_a_count_asked_with_a_particle_after_it_asks_no_noun(understander) -> None:
    assert understander.understand("城市更新政策那个窗口期是几年来着？").measure == ""
    assert understander.understand("城管那边去年定了几类几项标准啊？").measure == ""


def test_a_yes_no_pointing_at_the_previous_figure_checks_it_as_if_quoted(understander) -> None:
    previous = understander.understand("听说区里要给15万户免费装烟感报警器？")
    intent = understander.understand("这个去年就装完了吧？", previous)
    assert intent.quoted_figures == ("15万户",) and intent.years == (2022,)
    assert understander.understand("去年装了多少户？", previous).quoted_figures == ()


def test_a_count_asked_is_no_topic_word(understander) -> None:
    assert not any(word.startswith("几") for word in understander.understand("拿的是几等奖？").topic)


def test_the_name_asked_may_hold_latin_letters(understander) -> None:
    assert understander.understand("历控并购的那家A股监理上市公司叫啥？").measure.lower() == "a股监理上市公司"


def test_the_unit_of_a_figure_is_not_glued_onto_the_topic(understander) -> None:
    assert understander.understand("10亿元产业发展资金企业咋申请？").topic[0] == "产业发展资金"


def test_that_batch_points_at_the_previous_thing_rather_than_opening_a_new_one(understander) -> None:
    previous = understander.understand("忽米华北总部落户历城了吗？")
    intent = understander.understand("那一批一共签了多少家企业？", previous)
    assert intent.followup and not intent.replaces_topic


def test_a_figure_stated_with_a_question_mark_and_nothing_asking_is_a_claim_to_check(understander) -> None:
    assert understander.understand("今年外贸进出口总额增长了40%以上？").kind is Kind.YES_NO
    assert understander.understand("10亿元产业发展资金企业怎么申请？").kind is Kind.PROCEDURE
    assert understander.understand("去年外贸进出口总额增长了40%以上。").kind is not Kind.YES_NO


@pytest.mark.parametrize(
    ("question", "plan"),
    [
        ("今年还要开几条公交线路？", True),
        ("今年低保会再涨到多少？", True),
        ("今年GDP目标是多少？", True),
        ("今年低保每个月给多少钱？", False),
    ],
)
def test_a_question_asking_for_a_plan_or_target_is_marked_as_such(understander, question: str, plan: bool) -> None:
    assert understander.understand(question).plan is plan


def test_a_period_shorter_than_a_year_is_read_apart_from_the_topic(understander) -> None:
    intent = understander.understand("上个月历城12345热线接了多少件？")
    assert intent.period == "上个月" and not any("上个" in word for word in intent.topic)


def test_a_follow_up_naming_nothing_of_its_own_keeps_what_the_report_never_names(understander) -> None:
    previous = understander.understand("老小区加装电梯今年有补贴吗？")
    assert "电梯" in previous.missing
    assert "电梯" in understander.understand("能补多少？", previous).missing
    assert not understander.understand("那5G基站呢？", previous).missing  # a thing of its own, which the report names


def test_a_figure_checked_as_the_report_writes_it_outweighs_the_citizens_description(understander) -> None:
    assert not understander.understand("今年全区商店卖出去的东西总额是600亿吗？").missing
    assert understander.understand("历城在建的6条地铁线哪条最先通车？").kind is not Kind.YES_NO  # not a figure checked


def test_a_rare_name_after_a_pronoun_is_the_thing_asked_not_a_category_of_the_turn_before(understander) -> None:
    after_capital = understander.understand("今年历城怎么撬动社会资本？")
    assert "产业发展资金" in understander.understand("这个产业发展资金有多少钱？", after_capital).topic
    after_school = understander.understand("历城二中获得过什么荣誉？")
    assert "学校" not in understander.understand("这个学校还有啥荣誉？", after_school).topic


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("列一下去年新建的社区老年人日间照料中心和农村幸福院各多少处", Kind.AMOUNT),  # the figure asked decides
        ("能列一下吗", Kind.LIST),  # a request and nothing else: "能…吗" asks politely, it confirms nothing
        ("列一下今年的重点工作", Kind.LIST),  # nothing else asks
    ],
)
def test_a_request_to_list_yields_to_a_figure_asked_beside_it(understander, question: str, kind: Kind) -> None:
    assert understander.understand(question).kind is kind


@pytest.mark.parametrize(
    ("question", "achieved"),
    [("今年保租房新增了多少套？", True), ("今年已经开了几家？", True), ("今年保租房要新增多少套？", False)],
)
def test_a_question_asking_what_was_done_is_marked_as_such(understander, question: str, achieved: bool) -> None:
    assert understander.understand(question).achieved is achieved


def test_a_plan_word_inside_a_name_of_the_report_asks_no_plan(understander) -> None:
    intent = understander.understand("服务业企业倍增计划聚焦哪些重点领域？")
    assert not intent.plan and intent.years == ()  # 倍增计划 is the programme's name (2022's sentence names it)
    assert understander.understand("今年计划新建多少所学校？").plan


def test_a_complement_after_the_unit_asked_in_is_no_noun_counted(understander) -> None:
    assert understander.understand("小田变大田今年要弄出多少亩来？").measure == ""  # 来 completes 弄出, 亩 is the unit
    assert understander.understand("今年要招多少学生来？").measure == "学生"

"""Does a clause hold the kind of answer asked? Each form the report writes an answer in, and the forms that only
look like one (what was added for how many there are, a year for a day, one example for the others)."""

from __future__ import annotations

from ingest.facts import Fact
from rag.answering.evidence import all_changes, counts_together, holds_kind, names_only_by_description, places_in
from rag.answering.intent import Intent, Kind


def holds(clause: str, question: str, kind: Kind, achieved_event: bool = False, **asked) -> bool:
    return holds_kind(clause, (), Intent(question, question, kind=kind, **asked), achieved_event)


def test_a_rank_is_a_position_or_a_first_of_its_kind() -> None:
    assert holds("在全省“技术转移先进区”绩效评价中位列第一", "在全省排第几？", Kind.RANK)
    assert holds("在全省首创非接触式执法", "是谁先搞的？", Kind.RANK)
    assert holds("深入推进“八五”普法规划实施", "普法规划是第几个五年？", Kind.RANK)
    assert not holds("深入推进普法规划实施", "普法规划是第几个五年？", Kind.RANK)


def test_a_rank_the_question_already_states_is_no_answer() -> None:
    clause = "济钢集团重回全国500强"
    rank = Fact(type="rank", indicator="济钢集团", value="500强", text="全国500强", unit="", qualifier="", kind="",
                scope="全国", items=(), role="", year=2022, status="achieved", section="", page=1, source=clause,
                clause=clause, chunk_id="c")  # fmt: skip
    question = "在500强里排第几名？"
    assert not holds_kind(clause, (rank,), Intent(question, question, kind=Kind.RANK, quoted_figures=("500",)), False)
    assert holds_kind(clause, (rank,), Intent("济钢排第几？", "济钢排第几？", kind=Kind.RANK), False)


def test_a_duration_or_a_round_sum_in_chinese_numerals_is_a_figure() -> None:
    assert holds("抢抓市城市更新政策两年窗口期", "窗口期有几年？", Kind.AMOUNT)
    assert not holds("一年来，我们主动融入国内国际双循环", "有几年？", Kind.AMOUNT)
    assert holds("年度投资额保持在千亿元以上", "年度投资多少？", Kind.MONEY)
    assert holds("帮助企业融资超过百亿元", "融资多少钱？", Kind.MONEY)


def test_a_growth_required_relative_to_another_answers_a_rate() -> None:
    question = "农村居民收入增速有什么要求？"
    assert holds("确保农村居民人均纯收入增速不低于城镇", question, Kind.RATE, change=True)
    assert not holds("带动群众走共同富裕道路", question, Kind.RATE, change=True)


def test_a_site_designated_as_what_is_asked_is_its_place() -> None:
    question = "主会场放在哪了？"
    assert holds("济南智能传感器产业园被省委确定为主会场", question, Kind.PLACE)
    assert holds("以临港生物医药产业园为生产制造区", "生产制造区在哪？", Kind.PLACE)
    assert not holds("承办全省春季重大项目集中开工活动", question, Kind.PLACE)


def test_a_place_is_not_read_inside_the_name_of_the_thing_asked_about_nor_across_a_function_word() -> None:
    assert places_in("建设省知识产权交易中心", ("知识产权交易中心", "省知识产权")) == []  # no 建设省
    assert places_in("提升环联夜市等夜间经济集聚区档次", ("环联夜市",)) == []  # no 环联夜市 as a 市
    assert places_in("历城金融大厦等3个楼宇被认定为市特色产业楼宇") == []  # no 认定为市
    assert places_in("与甘肃省东乡县开展东西部协作", ("东乡县",)) == ["甘肃省"]  # where 东乡县 is


def test_a_place_asked_at_one_level_needs_a_place_named_at_that_level() -> None:
    question = "区养老服务中心在哪个街道？"
    assert not holds("全市领先的区级养老服务中心建成运营", question, Kind.PLACE)
    assert not holds("新建28处社区老年人日间照料中心、13处农村幸福院", question, Kind.PLACE)  # 农村 is no place
    assert holds("在唐王街道建设区养老服务中心", question, Kind.PLACE)


def test_a_day_is_not_answered_by_the_year_of_the_event() -> None:
    question = "首届中国草莓种业大会是几月几号办的？"
    assert not holds("举办首届中国草莓种业大会", question, Kind.DAY, achieved_event=True)
    assert holds("举办首届中国草莓种业大会", "首届中国草莓种业大会是什么时候办的？", Kind.DATE, achieved_event=True)
    assert holds("2023年1月7日在济南市历城区第十九届人民代表大会第二次会议上", question, Kind.DAY)


def test_how_many_there_are_is_not_answered_by_how_many_were_added() -> None:
    question = "历城现在一共有多少个5G基站？"
    assert not holds("新建1270个5G基站", question, Kind.TOTAL)
    assert not holds("新建28处社区老年人日间照料中心、13处农村幸福院", question, Kind.TOTAL)  # one verb, both figures
    assert holds("新增高新技术企业174家、总量达到555家", "高企现在总共多少家？", Kind.TOTAL)
    assert holds("新建1270个5G基站", "现在一共新建了多少个5G基站？", Kind.TOTAL)  # additions asked
    assert holds("新建1270个5G基站", "去年建了几个5G基站？", Kind.AMOUNT)


def test_a_count_asked_in_its_counter_is_not_answered_by_a_rate() -> None:
    question = "那具体发生了几起？"
    assert not holds("安全生产事故起数、死亡人数分别下降48.6%、50%", question, Kind.AMOUNT, unit="起")
    assert holds("处理农民工欠薪案件1622起", question, Kind.AMOUNT, unit="起")


def test_a_count_asked_with_a_counter_is_not_answered_by_a_sum_of_money_or_an_area() -> None:
    question = "去年“信易贷”平台帮了多少家企业融到资？"
    assert not holds("依托“信易贷”平台帮助企业融资超过百亿元", question, Kind.AMOUNT, level=True)
    assert not holds("集聚20万平方米特色产业“区中园”", "“区中园”引进了多少家企业？", Kind.AMOUNT, level=True)
    assert holds("新增高新技术企业174家", "去年新增多少家高企？", Kind.AMOUNT, level=True)
    assert holds("引进亿元以上项目160个", "今年要引进多少个亿元以上项目？", Kind.AMOUNT, level=True)  # 个 before 亿 is a count
    assert holds("帮助企业融资超过百亿元", "融资有几个亿？", Kind.AMOUNT, level=True)  # "几个亿" asks money
    assert holds("打造24小时“不打烊”的网上服务矩阵", "网上服务矩阵要几个小时不打烊？", Kind.AMOUNT, level=True)


def test_an_approximate_figure_is_in_its_unit() -> None:
    question = "去年小区绿化提升了多少平方米？"
    assert holds("提升小区绿化2万余平方米", question, Kind.AMOUNT, unit="平方米", change=True)
    assert not holds("打造15个景观小品", question, Kind.AMOUNT, unit="平方米", change=True)


def test_the_others_of_a_counted_whole_are_not_its_examples() -> None:
    clause = "实施南全福片区等6个老旧小区改造项目"
    assert not holds(clause, "另外5个是哪些？", Kind.LIST, quoted_figures=("5个",))
    assert holds(clause, "那6个老旧小区是哪些？", Kind.LIST, quoted_figures=("6个",))
    assert holds(clause, "今年改造哪些老旧小区？", Kind.LIST)
    assert holds("支持齐鲁制药、宏济堂、漱玉平民大药房等3家龙头企业", "另外2家是哪些？", Kind.LIST, quoted_figures=("2家",))


def test_a_level_asked_is_not_a_percentage_change_but_may_be_the_level_of_a_rate() -> None:
    assert not holds("地区生产总值增长6%", "今年GDP是多少？", Kind.AMOUNT, topic=("gdp",), level=True)
    assert holds("政务上云率达100%", "政务上云率现在是多少？", Kind.AMOUNT, topic=("上云率",), level=True)
    assert not holds("森林覆盖率提高2%", "森林覆盖率现在是多少？", Kind.AMOUNT, topic=("森林覆盖率",), level=True)


def test_a_rate_asked_is_not_answered_by_a_figure_in_another_unit() -> None:
    clause = "实施2000亩森林抚育项目，持续提升森林覆盖率"
    assert not holds(clause, "那森林覆盖率要提到多少？", Kind.AMOUNT, topic=("森林覆盖率",))
    assert holds(clause, "森林抚育搞多大面积？", Kind.AMOUNT, topic=("森林抚育",))
    assert holds("规上工业企业新建研发机构的比例提升到35%", "研发机构的比例要到多少？", Kind.AMOUNT, topic=("比例",))


def test_an_approximate_sum_is_a_sum_and_a_growth_rate_reached_is_a_change() -> None:
    assert holds("发放住房补贴3200余万元", "住房补贴发了多少钱？", Kind.MONEY)
    assert holds("工业、技改投资增速达到49%、85%", "技改投资涨了多少？", Kind.AMOUNT, change=True)
    assert not holds("特困人员每月基本生活保障提高到1560元", "涨了多少？", Kind.AMOUNT, change=True)  # a level


def test_two_items_sharing_the_noun_asked_are_a_list() -> None:
    assert holds("黄河淤背区建成堰头、付家郊野公园", "建成了哪些公园？", Kind.LIST, measure="公园")
    assert not holds("市场主体增长3.4%、总量达到21.7万户", "有哪些公园？", Kind.LIST, measure="公园")
    # No noun read after the question word ("哪两个郊野公园"): a topic noun is the one shared.
    assert holds("黄河淤背区建成堰头、付家郊野公园", "建了哪两个郊野公园", Kind.LIST, topic=("郊野公园",))


def test_a_figure_of_a_group_does_not_count_one_member_alone() -> None:
    assert counts_together("新建中小学、幼儿园", ("幼儿园",))
    assert counts_together("办理各级人大代表建议和政协提案", ("人大代表",))
    assert not counts_together("新建中小学、幼儿园", ("中小学", "幼儿园"))  # the group asked as a whole
    assert not counts_together("开工新项目", ("开工",))


def test_a_thing_spoken_of_as_one_of_a_kind_or_of_a_count_is_not_named() -> None:
    assert names_only_by_description("历城控股成功并购入主A股首家监理行业上市公司", "上市公司")
    assert names_only_by_description("新建口袋公园、社区公园、古树公园等9处公园", "公园")
    assert not names_only_by_description("济南智能传感器产业园被省委确定为主会场", "产业园")
    assert not names_only_by_description("承办全国职业院校技能大赛", "全国比赛")  # not judged: the report's own word


def test_a_duration_is_a_span_of_time_not_a_date() -> None:
    assert holds("企业开办“半日办结”", "开个公司要多久？", Kind.DURATION)
    assert holds("3个工作日内办结", "办证要几天？", Kind.DURATION)
    assert not holds("2022年企业开办", "开个公司要多久？", Kind.DURATION)


def test_a_figure_right_after_a_change_verb_is_a_change_not_a_level() -> None:
    assert all_changes("规上服务业企业营收增长100亿元")
    assert not all_changes("市场主体增长3.4%、总量达到21.7万户")  # 21.7万户 is the level
    assert not all_changes("新增城镇就业1.7万人")  # an addition answers how many


def test_the_value_before_a_change_needs_the_clause_to_say_where_the_change_started() -> None:
    question = "提高之前是多少？"
    assert not holds("城乡低保每月基本生活保障提高到995元", question, Kind.AMOUNT, before=True)
    assert holds("城乡低保每月基本生活保障从800元提高到995元", question, Kind.AMOUNT, before=True)

"""Does a clause hold the kind of answer a question wants? Read from the sentence's typed facts where the fact
index types it (honours, places, people, ranks, lists), and from the figure's own form otherwise (元, %, 年).
"""

from __future__ import annotations

import re

from ingest.facts import Fact
from rag.answering.intent import Intent, Kind
from rag.retrieval.query import in_unit

CLAUSE = re.compile(r"[^，；：]+[，；：]?")
# A figure in digits, a count in Chinese numerals ("两个", not the vague "一批"), a duration ("两年窗口期", not "一年来") or a sum
# in round Chinese magnitudes ("千亿元以上", "百亿元").
FIGURE = re.compile(
    r"\d+(?:\.\d+)?|(?!一[批类种])[一二三四五六七八九十两]+[个项件大种条类所家处批]|[两二三四五六七八九十]+个?(?:年|月|天|周|倍)(?!来)"
    r"|[百千万](?:万|亿)元"
)
# "3200余万元", "300多万元": an approximate sum is still a sum.
MONEY = re.compile(r"(?:\d+(?:\.\d+)?\s*(?:余|多)?(?:万|亿)?|[百千](?:万|亿)|[一二三四五六七八九十两]+[百千]?(?:万|亿))(?:美)?元")
RATE = re.compile(r"\d+(?:\.\d+)?%")
# Words that name a rate: its level is a percentage ("上云率", "城镇化率", "森林覆盖率").
RATE_NOUNS = ("率", "比重", "占比", "比例")
# A growth required relative to another ("农村居民人均纯收入增速不低于城镇"): a rate given without a figure.
RELATIVE_RATE = re.compile(r"(?:增速|增幅|增长率?)[^，；\d]{0,3}(?:不低于|高于|快于|不慢于|同步于|持平于)")
# A position: 第三, 位列第一, 前列, or first of its kind ("全省首创", "全市首个"); a five-year plan by its
# number ("“八五”普法") answers "第几个五年".
RANK = re.compile(r"第[一二三四五六七八九十百\d]+|前列|首位|首创|首个|首家|率先|\d+强|百强|前十|“[一二三四五六七八九十]+五”")
DATE = re.compile(r"\d+\s*月|\d+\s*日|年底|年内|上半年|下半年|\d{4}年")
# A date to the day or month ("几月几号" asks for it; the year of an event does not answer).
DAY = re.compile(r"\d+\s*月|\d+\s*日")
# How long something takes ("半日办结", "3个工作日", "即来即办"); a year of the calendar is no duration.
DURATION = re.compile(
    r"\d+(?:\.\d+)?\s*个?(?:工作日|小时|分钟|天|日|周|个月)|[半一两三]个?(?:日|天|小时|工作日)|即办|即来即办|立等可取|当场办结"
)
YEAR_ONLY = re.compile(r"(?:19|20)\d\d年")
# The verbs that state a change of a level against the year before ("增长6%", "营收增长100亿元", "改善8%").
CHANGE_VERBS = "增长|提高|提升|改善|下降|降低|减少|增加|上升"
# A figure that is a change ("增长6%", "新增学位1.7万个", "增速达到85%"), not a level ("提高到995元").
CHANGE_VERB = re.compile(rf"(?:{CHANGE_VERBS}|增幅|增速|新增|分别增长)(?:了|(?<=增幅|增速)(?:达到|为))?[^\d，；到至]{{0,8}}\d")
# How far before its figure a change verb may stand ("新增高新技术企业174家").
CHANGE_REACH = 12

CHINESE_NUMBERS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
# The number of items a list question names ("哪四张", "是哪两个").
ASKED_COUNT = re.compile(r"哪([两二三四五六七八九十])")


def asked_count(question: str) -> int:
    """How many items a list question names ("哪五个地方" → 5), or 0."""
    asked = ASKED_COUNT.search(question)
    return CHINESE_NUMBERS[asked.group(1).replace("两", "二")] if asked else 0


# Items of a list: separated by 、, in parallel clauses ("以…为…区"), or each in its own quotes ("“泉水草莓”“唐王锦鲤”").
# Or named as examples of a counted whole ("开工济滨高铁等62个新项目").
EXAMPLES_OF_COUNT = re.compile(r"[^，、]{2,}等\d+(?:余|多)?[个项家所处条座]")  # "和普威视等60余家"
ENUMERATION = re.compile(rf"[^、，]+、[^、，]+、|(?:以[^，]+为[^，]+，){{2}}|(?:“[^”]+”){{2}}|{EXAMPLES_OF_COUNT.pattern}")
# A figure that was added in the year ("新建28处", "新增高新技术企业174家"), not how many there are: it does not
# answer a question about the stock ("现在一共有多少个"), unless the clause states the stock too ("总量达到555家").
ADDITION_VERBS = "新建|新增|新开|新上|新设|新引进|新培育|新落户|增加|增设|新改建"
ADDED = re.compile(rf"(?:{ADDITION_VERBS})[^\d，；到至]{{0,24}}\d")
STOCK = re.compile(r"总量|总数|累计|共有|现有|总计|达到")
# A question that itself asks about additions ("去年新修的路一共几条"): the number added answers it.
# (增加 alone asks for a change, not for additions.)
ADDED_ASKED = re.compile("|".join([*(v for v in ADDITION_VERBS.split("|") if v != "增加"), "新修", "新招", "新种"]))
# A clause that distributes its figure ("每月…分别提高到995元、1560元", "人均可支配收入"): it answers a question per
# household or person ([per_item] of data/words/answering.toml); a count of them or a total for all does not.
DISTRIBUTES = re.compile(r"每|各|分别|人均|户均|平均")

# Where a change started ("从800元提高到", "由3.2%增至"): what a question about the value before the change needs.
STARTED_FROM = re.compile(r"[从由]\d")
# A place named by its administrative level ("甘肃省东乡县", "唐王街道"), not a level of something ("村级",
# "市民", "市场", "乡村振兴", "全省"); 区 and 园 end names of projects too. A name holds no function word ("被认定为市
# 特色产业楼宇" names no 认定为市).
PLACE_LEVELS = ("省", "市", "县", "镇", "乡", "街道", "村")
NAME_CHAR = r"(?![为被是在和与及等的了向从把将对])[\u4e00-\u9fff]"
PLACE = re.compile(rf"(?:{NAME_CHAR}){{2,}}?(?<![全本])(?:{'|'.join(PLACE_LEVELS)})(?!级|民|委|容|务|域|里|内|集体|振兴|场)")
# Words ending in a level that name a kind of area, not a place ("13处农村幸福院", "城乡融合").
AREA_WORDS = ("农村", "乡村", "城乡", "城市", "都市", "县域", "镇村", "市县")
# A place asked at one level ("在哪个街道"): only a place named at that level answers; likewise the items of a
# list asked at one level ("包括哪几个村"): a list of projects is not one of villages.
PLACE_LEVEL_ASKED = re.compile(rf"哪(?:个|一个|些)?({'|'.join(PLACE_LEVELS)})")
# (The level ends the noun: "哪几个社区卫生服务中心" asks for centres, not communities.)
LIST_LEVEL_ASKED = re.compile(
    rf"哪(?:几个|些|几)({'|'.join(('城市', *PLACE_LEVELS, '小区', '社区'))})(?=[能要是会先呢吗啊呀的办？?，,。\s]|$)"
)
# A list question about the others of a whole ("另外俩是啥", "除了…还有哪些"): examples of a counted whole
# ("唐冶北等3个城市设计") are the ones it does not ask about.
OTHERS_ASKED = re.compile(r"另外|其余|其他|除了")
# A site named as the place of what is asked ("济南智能传感器产业园被省委确定为主会场", "以自贸区生物医药科技园为研发生产区").
SITE = r"[\u4e00-\u9fff]{2,}(?:园|区|城|中心|基地|港|馆|广场|小镇)"
# Where each of several is ("分别在哪儿", "都在哪"): a list of them named by their sites answers.
EACH_PLACE_ASKED = re.compile(r"(?:分别|各自|都)在哪")
SITE_DESIGNATED = re.compile(rf"{SITE}(?:被[^，；]{{0,6}})?(?:确定为|定为|作为|列为|选为|设为)|以{SITE}为")
FACT_KINDS = {
    Kind.RANK: {"rank"},
    Kind.PLACE: {"place"},
    Kind.PERSON: {"person"},
    Kind.HONOUR: {"honour"},
    Kind.LIST: {"enumeration"},
}


def changed_by(figure: str, clause: str) -> bool:
    """Is this figure of the clause a change ("增长448%", "新增学位1.7万个") rather than a level?"""
    at = clause.find(figure)
    return at >= 0 and bool(CHANGE_VERB.search(clause[max(0, at - CHANGE_REACH) : at + len(figure)]))


def names_two_of(clause: str, noun: str) -> bool:
    """Two items of the kind asked, sharing its noun ("堰头、付家郊野公园" of "哪些公园"): a list of two."""
    return bool(noun) and bool(re.search(rf"[\u4e00-\u9fff“”]{{2,}}、[\u4e00-\u9fff“”]*{re.escape(noun)}", clause))


# What joins the members of a group that one figure counts ("新建中小学、幼儿园", "人大代表建议和政协提案").
GROUP_JOIN = re.compile(r"[、和及与]")


def counts_together(indicator: str, asked: tuple[str, ...]) -> bool:
    """Does a figure count what was asked together with something not asked ("新建19处中小学、幼儿园" for 幼儿园
    alone)? Then it does not give the part."""
    members = GROUP_JOIN.split(indicator.lower())
    named = [m for m in members if any(word in m for word in asked)]
    return len(members) > 1 and 0 < len(named) < len(members)


# A count asked with a counter ("多少家企业", "几所学校"): a sum of money or an area does not answer it. Not "几个亿"
# (money), "几个小时", "几个月" (durations) or "几个点" (percentage points).
COUNTERS = "家所处座项条位名只批场件"
COUNT_ASKED = re.compile(rf"(?:多少|几)(?:[{COUNTERS}]|个(?![亿万小月点百]))")
COUNT_GIVEN = re.compile(rf"\d+(?:\.\d+)?\s*(?:万|亿)?(?:余|多)?[个{COUNTERS}户套张辆人]|[一首][个{COUNTERS}]")
# What makes a noun of the report a description rather than a name: the first or one of its kind ("A股首家监理行业
# 上市公司"), or a count of several ("口袋公园、社区公园、古树公园等9处公园").
UNNAMED = re.compile(r"(?:首|一)[家个条座所只批项]|\d+[家个条座所只批项处]")


def names_only_by_description(sentence: str, noun: str) -> bool:
    """Does the sentence speak of the thing asked only as one of a kind or as one of a count, not by its name? The
    noun (or its head, the last two characters) stands in it after a description or a count in the same phrase. A
    sentence without the noun is not judged: it may name the thing in the report's own words."""
    head = noun if noun in sentence else noun[-2:]
    starts = [m.start() for m in re.finditer(re.escape(head), sentence)]
    return any(UNNAMED.search(re.split(r"[，；：。]", sentence[:at])[-1]) for at in starts)


def clauses_of(sentence: str) -> list[str]:
    return [c for c in CLAUSE.findall(sentence) if c.strip()]


def has_figure(clause: str) -> bool:
    """A figure other than a bare year."""
    return bool(FIGURE.search(YEAR_ONLY.sub("", clause)))


def places_in(clause: str, asked_of: tuple[str, ...] = ()) -> list[str]:
    """The places a clause names by their administrative level, kinds of area aside, and not within the name of the
    thing whose place is asked (`asked_of`, its topic words): "环联夜市" is no 市, "建设省知识产权交易中心" no 建设省."""
    named = {i for word in asked_of if word for start in starts_of(clause, word) for i in range(start, start + len(word))}
    return [m.group(0) for m in PLACE.finditer(clause) if not m.group(0).endswith(AREA_WORDS) and m.end() - 1 not in named]


def starts_of(text: str, part: str) -> list[int]:
    """Every position where the part starts in the text, overlaps included."""
    return [i for i in range(len(text) - len(part) + 1) if text.startswith(part, i)]


def asks_additions(intent: Intent) -> bool:
    return bool(ADDED.search(intent.text) or ADDED_ASKED.search(intent.text))


# A verb right before a figure that makes it a change of a level ("营收增长100亿元"); an addition ("新增城镇就业1.7万人")
# is how many were added, which a level question accepts.
CHANGED_BY = re.compile(rf"(?:{CHANGE_VERBS})了?$")


def all_changes(clause: str) -> bool:
    """Is every figure of the clause (percentages and years aside) the change a verb right before it states?"""
    figures = [m for m in FIGURE.finditer(clause) if not RATE.fullmatch(m.group(0)) and not YEAR_ONLY.match(clause, m.start())]
    return bool(figures) and all(CHANGED_BY.search(clause[: m.start()]) for m in figures)


def gives_stock(clause: str, intent: Intent) -> bool:
    """Does the clause give how many there are, not only how many were added (unless additions are asked)?"""
    if asks_additions(intent) or STOCK.search(clause):
        return True
    # An addition verb counts every figure after it in its clause ("新建28处…中心、13处农村幸福院").
    counted = RATE.sub("", YEAR_ONLY.sub("", clause))
    return any(not ADDED.search(counted[: m.end()]) for m in FIGURE.finditer(counted))


def holds_kind(clause: str, facts: tuple[Fact, ...], intent: Intent, achieved_event: bool) -> bool:
    """Does this clause hold what the intent asks for? `facts` are the sentence's facts whose clause this is.

    `achieved_event`: the clause reports, as done in the year under review, the very event asked about.
    """
    kind = intent.kind
    # "12345热线办了多少件": a number that names; "在500强里排第几名": a rank the question already states.
    quoted = [f for f in intent.quoted_figures if f.isdigit()]
    for name in quoted:
        clause = clause.replace(name, "")
    facts = tuple(f for f in facts if not any(name in f.text for name in quoted))
    if kind is Kind.PROCEDURE:
        return bool(intent.action) and intent.action in clause
    if kind is Kind.DAY:
        return any(DAY.search(f.text) for f in facts if f.type == "date") or bool(DAY.search(clause))
    if kind is Kind.LIST and not ENUMERATION.search(EXAMPLES_OF_COUNT.sub("", clause)):
        examples = EXAMPLES_OF_COUNT.search(clause)
        if examples and OTHERS_ASKED.search(intent.text):  # "另外俩是啥" of "唐冶北等3个城市设计"
            return False
        if intent.quoted_figures:  # "另外5个是哪些？" of "南全福片区等6个": the examples named are not the others
            return bool(examples) and any(examples.group(0).endswith(f"等{figure}") for figure in intent.quoted_figures)
    asked = asked_count(intent.text) if kind is Kind.LIST else 0
    if asked and "、" in clause and clause.count("、") + 1 != asked:
        return False  # "五朵金花指哪五个地方": "“五朵金花”片区、水美乡村二期、…" lists four projects, not the five
    listed_level = LIST_LEVEL_ASKED.search(intent.text) if kind is Kind.LIST else None
    if listed_level:
        listed = ENUMERATION.search(clause)
        items = re.split(r"[、，和]", listed.group(0)) if listed else []
        return any(item.strip("“”等 ").endswith(listed_level.group(1)) for item in items)
    level = PLACE_LEVEL_ASKED.search(intent.text) if kind is Kind.PLACE else None
    if level:  # "在哪个街道": a place of that level, typed or not
        named = places_in(clause) + [f.text for f in facts if f.type == "place"]
        return any(p.endswith(level.group(1)) for p in named)
    typed = FACT_KINDS.get(kind, set())
    if any(f.type in typed for f in facts):
        return True
    if intent.before and not STARTED_FROM.search(clause):  # "提高之前是多少": "提高到995元" says where it ended
        return False
    if intent.superlative and not (RANK.search(clause) or "最" in clause):  # "规模最大的那只": 14只…120亿元 ranks none
        return False
    if intent.per_item and kind in (Kind.MONEY, Kind.RATE, Kind.AMOUNT, Kind.TOTAL) and not DISTRIBUTES.search(clause):
        return False
    if kind is Kind.MONEY:
        return bool(MONEY.search(clause)) and (not intent.change or bool(CHANGE_VERB.search(clause)))
    if kind is Kind.RATE:
        rate = bool(RATE.search(clause)) and (not intent.change or bool(CHANGE_VERB.search(clause)))
        return rate or bool(RELATIVE_RATE.search(clause))
    if kind is Kind.RANK:
        return bool(RANK.search(clause))
    if kind is Kind.DURATION:
        return bool(DURATION.search(clause))
    if kind is Kind.DATE:
        # Something already achieved happened in the year under review: its year answers "什么时候".
        return bool(DATE.search(clause)) or achieved_event
    if kind is Kind.LIST:
        nouns = (intent.measure,) if intent.measure else intent.topic  # "哪两个郊野公园": no measure read, a topic noun
        return bool(ENUMERATION.search(clause)) or any(names_two_of(clause, noun) for noun in nouns)
    if kind is Kind.AMOUNT:
        return holds_amount(clause, intent)
    if kind is Kind.TOTAL:
        return holds_amount(clause, intent) and has_figure(RATE.sub("", clause)) and gives_stock(clause, intent)
    if kind is Kind.PLACE:
        # "分别在哪儿" of "新建山大路、全福、唐冶社区卫生服务中心": each is named by where it is.
        each = EACH_PLACE_ASKED.search(intent.text) and ENUMERATION.search(clause)
        return bool(places_in(clause, intent.all_topic)) or bool(SITE_DESIGNATED.search(clause)) or bool(each)
    if kind in (Kind.PERSON, Kind.HONOUR):
        return False
    return True  # NAME, YES_NO, GENERAL: any clause about the topic


def asks_rate(intent: Intent) -> bool:
    """Is the indicator asked itself a rate ("森林覆盖率要提到多少")? Then its level is a percentage."""
    return any(word.endswith(RATE_NOUNS) for word in intent.topic)


def rate_level(clause: str, intent: Intent) -> bool:
    """A percentage that is the level asked: the topic is itself a rate ("政务上云率现在是多少" → "上云率达100%"),
    and the percentage is not a change of something."""
    if not asks_rate(intent):
        return False
    for rate in RATE.finditer(clause):
        window = clause[max(0, rate.start() - CHANGE_REACH) : rate.start() + 1]
        if not any(verb.end() == len(window) for verb in CHANGE_VERB.finditer(window)):
            return True
    return False


def holds_amount(clause: str, intent: Intent) -> bool:
    """A figure, of the change or level asked, in the unit asked."""
    if not has_figure(clause):
        return False
    if asks_rate(intent) and not intent.change and not RATE.search(clause):
        return False  # "那森林覆盖率要提到多少": "实施2000亩森林抚育项目，持续提升森林覆盖率" gives no rate
    if intent.change and not CHANGE_VERB.search(clause):
        return False
    if intent.level and not (has_figure(RATE.sub("", clause)) or rate_level(clause, intent)):
        return False
    if intent.level and not asks_additions(intent) and not rate_level(clause, intent) and all_changes(clause):
        return False  # "规上服务业营收有多少": "营收增长100亿元" says by how much, not how much
    if not intent.change and COUNT_ASKED.search(intent.text) and not COUNT_GIVEN.search(clause):
        return False  # "帮了多少家企业融到资": "融资超过百亿元" is how much money, not how many
    return not intent.unit or in_unit(clause, intent.unit)

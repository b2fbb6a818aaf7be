"""What a question's words say, read off its text alone: small talk, the kind of answer asked, the unit, the
event a "when" asks about, what a count is of, the figures quoted, and which of its clauses ask.

The Understander (understand.py) reads these against the report; nothing here knows the report.
"""

from __future__ import annotations

import re
from functools import reduce

from rag.answering.intent import FIGURE_KINDS, Kind, SmallTalk
from rag.answering.words import AnswerWords
from rag.retrieval.query import quoted_figures

NOT_WORD = re.compile(r"[\W_]+")


def small_talk_of(question: str, words: AnswerWords) -> SmallTalk | None:
    """A greeting, thanks or a request for help: the whole message, punctuation and spaces aside."""
    bare = NOT_WORD.sub("", question.lower())
    bare = re.sub(r"^(?:请问|那|哦|嗯|好)+", "", bare)
    for kind, phrases in words.small_talk:
        if bare in {NOT_WORD.sub("", p) for p in phrases}:
            return kind
    return None


# Words that ask for a number: a question with them asks the figure, not whether a quoted one is right.
NUMBER_ASKED = re.compile(r"多少|几")
# Any word that asks something of its own (what, where, how, whether…).
ASKING = re.compile(r"[哪什怎谁啥吗呢吧么咋]|多少|是否|有没有|如何|多久|多长")


# "占经济总量的多少": a share of a whole, which the report gives as a percentage.
SHARE_ASKED = re.compile(r"占[^，。？?]{1,10}?的?(?:多少|几成)")


def kind_of(text: str, words: AnswerWords) -> Kind:
    # A figure quoted to confirm ("外贸进出口总额增长40%以上了吗？") is a claim to check, though a noun in it
    # ("总额") is an amount cue.
    # So is a figure stated with a question mark and nothing that asks ("今年外贸进出口总额增长了40%以上？").
    if quoted_figures(text) and not NUMBER_ASKED.search(text):
        confirming = next((cues for kind, cues in words.kind_cues if kind is Kind.YES_NO), ())
        if any(cue in text for cue in confirming) or (text.rstrip().endswith(("？", "?")) and not ASKING.search(text)):
            return Kind.YES_NO
    # A request ("列一下…各多少处") says how to answer: a figure asked beside it decides the kind, else the request
    # does ("列一下今年的重点工作", "能列一下吗").
    asked = _first_kind(reduce(lambda rest, request: rest.replace(request, ""), words.requests, text), words)
    return asked if asked in FIGURE_KINDS else _first_kind(text, words) or Kind.GENERAL


def _first_kind(text: str, words: AnswerWords) -> Kind | None:
    for kind, cues in words.kind_cues:
        if any(cue in text for cue in cues):
            return Kind.RATE if kind is Kind.AMOUNT and SHARE_ASKED.search(text) else kind
    return None


# The verb after "when" ("啥时候开诊", "哪年开通的"), without the modal before it or the particle after it.
EVENT = re.compile(r"(?:什么时候|啥时候|何时|哪一?年|多会儿)(?:能|会|才|就|要|开始|可以|将)?([\u4e00-\u9fff]{1,2})")


def asked_event(text: str) -> str:
    match = EVENT.search(text)
    return match.group(1).rstrip("的了呢吗啊呀") if match else ""


# What a count or amount is of: the noun after "多少" / "几" and a counter ("能招多少学生", "有几张床位"); likewise
# what a list is of ("哪些企业").
# "哪些具体安排" asks of 安排: the qualifier before the noun asks nothing of its own.
MEASURED = re.compile(r"(?:多少|几|哪些)([个家所处座条件项只张名位种类批辆户套间口眼]?)(?:具体|主要)?的?([\u4e00-\u9fff]+)")


def asked_measure(text: str, words: AnswerWords) -> str:
    """The noun a count or amount is asked of ("多少学生" → 学生), or "" (units and generic words aside)."""
    match = MEASURED.search(text)
    if not match:
        return ""
    # "上亿的项目": 项目; "几年来着": a particle; "几类几项标准": a second count, whose noun is asked the same way;
    # "多少地从小块并成大块": a preposition ends the noun; "弄出多少亩来", "招多少学生来": 来 completes the verb.
    noun = re.split(r"来着|来$|[了呢吗啊呀吧是有要能会在找帮拿到几从把]", match.group(2))[0].split("的")[-1]
    unit = next((u for u in words.measure_units if noun.startswith(u) and (u == noun or len(u) >= 2)), "")
    noun = noun[len(unit) :]  # "多少公里农村公路" counts 农村公路 in 公里
    if len(noun) < 2 or noun in words.generic or noun[0] in "万亿元":
        return ""
    return noun


# What a name is asked of: the noun after "那家" / "哪个" / a count, before "叫…" or "是…" ("那家A股监理上市公司叫啥",
# "9处公园都叫什么名字"), or after "哪家" at the end ("是哪家企业的？"; "哪个行业的上市公司" asks the sector).
NAMED = re.compile(
    r"(?:[那哪这]一?|\d+)[个家所处座条只项批]([\u4e00-\u9fffA-Za-z]{2,8}?)(?:都|分别|各)?(?:叫|是|的名)"
    r"|哪一?[个家所座条只项批]([\u4e00-\u9fff]{2,6}?)的?[？?]?$"
)


def asked_name_of(text: str, words: AnswerWords) -> str:
    """The noun a name is asked of ("那家上市公司叫啥" → 上市公司), or "" (generic words aside)."""
    match = NAMED.search(text)
    noun = next((g for g in match.groups() if g), "") if match else ""
    return "" if noun in words.generic else noun


# What a yes/no question asks exists ("企业上云有补贴吗" → 补贴, "有没有专门的市场"): a sentence about the topic that
# does not name it does not say yes.
EXISTENCE = re.compile(r"有没有([\u4e00-\u9fff]{2,8}?)(?:[吗呢啊？?，,]|$)|有([\u4e00-\u9fff]{2,8}?)(?:吗|没有|没)")


# What a general question asks the report to name ("高企认定区里有啥奖补" → 奖补, "有何具体处罚标准"): likewise, a
# sentence about the topic that does not name it does not answer. "有啥变化不": the closing 不 asks, as 吗 does.
OFFERED = re.compile(r"有(?:啥|什么|何)(?:具体的?|专门的?|新的?)?([\u4e00-\u9fff]{2,8}?)(?:[吗呢啊？?，,没不]|$)")


def asked_existence(text: str, words: AnswerWords) -> str:
    """The noun a yes/no question asks the existence of, or "" (generic words aside)."""
    return _asked_noun(EXISTENCE, text, words)


def asked_offer(text: str, words: AnswerWords) -> str:
    """The noun a general question asks the report to name, or "" (generic words aside: "有啥打算")."""
    return _asked_noun(OFFERED, text, words)


def _asked_noun(pattern: re.Pattern, text: str, words: AnswerWords) -> str:
    match = pattern.search(text)
    noun = next((g for g in match.groups() if g), "") if match else ""
    noun = noun.split("的")[-1]  # "专门的市场": 市场
    # "有没有什么新去处" asks what there is, not whether one named thing is.
    open_ended = any(w in noun for w in words.question_words)
    return "" if len(noun) < 2 or noun in words.generic or open_ended else noun


def asked_thing(text: str, kind: Kind, words: AnswerWords) -> str:
    """What the question asks of, read as its kind asks: a name of, whether there is, what there is, how many of."""
    reader = {Kind.NAME: asked_name_of, Kind.YES_NO: asked_existence, Kind.GENERAL: asked_offer}.get(kind, asked_measure)
    return reader(text, words)


def asked_unit(text: str, words: AnswerWords) -> str:
    for unit in words.measure_units:
        if re.search(rf"(?:多少|几)(?:个)?{re.escape(unit)}", text):
            return unit
    return ""


def is_question(part: str, words: AnswerWords) -> bool:
    """Does this clause ask something (a kind of answer, a question word, a question mark)?"""
    return (
        kind_of(part, words) is not Kind.GENERAL
        or any(w in part for w in words.question_words)
        or part.rstrip().endswith(("？", "?"))
    )


def asking_part(text: str, words: AnswerWords) -> str:
    """The clauses of a question that ask; the others tell who asks or why ("我开个小饭馆的，", "家里孩子快上学了，").

    A noun the report lacks counts against a question only where it is asked about: 饭馆 in the teller's
    own clause is no topic the report should have spoken of.
    """
    clauses = [c for c in re.split(r"[，,；;。！!]", text) if c.strip()]
    asking = [c for c in clauses if is_question(c, words)]
    return "，".join(asking) if asking else text


# The parts a question asks a figure of each ("幼儿园、小学、初中各多少个"): two or more, named before 各 or 分别.
BREAKDOWN = re.compile(r"([\u4e00-\u9fff]+(?:[、和与及跟][\u4e00-\u9fff]+)+)的?(?:各|分别)(?:占|有|是)?(?:多少|几)")


def breakdown_parts(text: str) -> tuple[str, ...]:
    """The parts asked a figure of each, or () when the question asks no breakdown of several named parts."""
    match = BREAKDOWN.search(text)
    return tuple(re.split("[、和与及跟]", match.group(1))) if match else ()

"""Stage 1, understand: a question (and the turn before it) → an Intent.

"歷城區去年GDP多少？" → text "历城区去年GDP多少？", topic (GDP,), expansions (地区生产总值, …), years (2022,),
kind AMOUNT. A follow-up ("那今年呢？") takes what it lacks (topic, year, kind) from the previous turn's
intent; a complete question after an unrelated one stands on its own.
"""

from __future__ import annotations

import re

from rag.answering.evidence import CHANGE_VERBS, RATE_NOUNS
from rag.answering.intent import LENIENT_KINDS, Intent, Kind
from rag.answering.knowledge import Knowledge
from rag.answering.policy import AnswerPolicy
from rag.answering.reading import asked_event, asked_thing, asked_unit, asking_part, kind_of, small_talk_of
from rag.answering.words import AnswerWords
from rag.retrieval.query import asked_years, quoted_figures, year_intent

NUMBER = re.compile(r"\d")
# A count in Chinese numerals ("四个", "两项"): how many, not what.
COUNTED_WORD = re.compile(r"[一二两三四五六七八九十几]+[个件项条家所处座批种类张只位名]")
ASKED_COUNT = "几"
MONEY_UNITS = "万亿元"
NAME_PART = re.compile(r"[\u4e00-\u9fff]{3,8}")
# The value of the word just before is asked ("电话是多少", "租金一个月多少钱", "学费每年多少").
# ("资讯多少条" counts 信息 in the citizen's word: only a word joined by 是/有 or a span of time asks its value.)
VALUE_ASKED = r"(?:是|有|为|一个月|一年|每月|每年|每人|一天)(?:多少|几|什么|啥)"
# "下降多少", "增了几个": a change asked, which a percentage answers.
CHANGE_ASKED = re.compile(rf"(?:{CHANGE_VERBS}|涨|降|增|减)了?(?:多少|几)")
# An indicator that is itself a ratio ("上云率", "比重"): a percentage is its level.
RATIO_NAMED = re.compile("|".join((*RATE_NOUNS, "百分")))
# A rate or a price the report never names is the indicator asked ("城镇登记失业率", "居民消费价格"), not a description.
PRICED = (*RATE_NOUNS, "价", "价格")
SHARE_OF = "占"  # "占GDP的比重": a share of the indicator, the indicator named as the report names it there
QUOTED = re.compile(r"[“\"「『]([^”\"」』]+)[”\"」』]")
NAME_CHARS = 4  # a topic word this long and rare names one thing ("产业发展资金"), not a category ("学校")
# A figure pointed at ("去年这44条修完了吗？"): the one the previous turn gave.
POINTED_FIGURE = re.compile(r"[这那]\d+(?:\.\d+)?(?:万|亿)?[^\d\s，。？?]?")


class Understander:
    """Reads questions against one report's vocabulary; `understand(question, previous)` → Intent."""

    def __init__(self, knowledge: Knowledge, words: AnswerWords, policy: AnswerPolicy):
        self.knowledge = knowledge
        self.words = words
        self.policy = policy
        self._cue_words = {cue for _, cues in words.kind_cues for cue in cues} | set(words.change_cues)

    def understand(self, question: str, previous: Intent | None = None) -> Intent:
        talk = small_talk_of(question, self.words)
        if talk:
            return Intent(question, question, small_talk=talk)
        knowledge = self.knowledge
        text = knowledge.normalizer.normalize(question).text
        vocabulary = knowledge.vocabulary
        named = asked_years(text, knowledge.report_year, vocabulary)
        every_year = asked_years(text.replace("比", "，"), knowledge.report_year, vocabulary)
        years = tuple(dict.fromkeys(y for y, _ in named))
        kind = kind_of(text, self.words)
        topic = self.topic_words(self._topic_text(text))
        measure = asked_thing(text, kind, self.words)
        missing = knowledge.missing_words(asking_part(self._without_period(text), self.words), self.words.generic)
        asking = self._without_names(text, topic)  # "服务业企业倍增计划" names a programme, it asks no plan
        intent = Intent(
            question=question,
            text=text,
            topic=topic,
            expansions=knowledge.terms_for(text),
            missing=self._decisive(missing, text, kind, topic, measure),
            years=years or tuple(y for y in [year_intent(asking, knowledge.report_year, vocabulary)] if y),
            compared_years=tuple(dict.fromkeys(y for y, _ in every_year if y not in years)),
            period=next((p for p in vocabulary.shorter_periods if p in text), ""),
            kind=kind,
            change=any(cue in text for cue in self.words.change_cues),
            level=self._asks_level(text, kind),
            unit=asked_unit(text, self.words),
            plan=vocabulary.asks_plan(asking),
            achieved=vocabulary.asks_result(asking),
            per_item=any(cue in text for cue in self.words.per_item),
            superlative=any(cue in text for cue in self.words.superlative),
            before=any(cue in text for cue in self.words.before),
            event=asked_event(text),
            measure=measure,
            action=next((a for a in self.words.procedure_actions if a in text), "") if kind is Kind.PROCEDURE else "",
            quoted_figures=quoted_figures(text),
        )
        everyday = [w for w in self.words.off_topic if w in text]
        follows = previous is not None and previous.small_talk is None
        # "这是去年已经修好的吗？" points at the previous turn's thing, whatever everyday word stands beside.
        beside = self.topic_words(re.sub("|".join(everyday), " ", text)) if everyday else ()
        if everyday and not (follows and self.refers_back(intent)) and not beside:
            return intent.with_(off_topic=True)
        if follows and self.leans_on_previous(intent):
            return self.complete(intent, previous)
        if not self.knows_topic(intent):
            # Nothing but generic words, or words the report never uses: the generic ones are the topic
            # ("政府工作重点抓几个方面", "报告承认现在工作中有哪些问题").
            return intent.with_(topic=self.topic_words(text, last_resort=True))
        return intent

    def _topic_text(self, text: str) -> str:
        """The words of a question that may name its topic: a figure pointed at names none, and its counter must not glue
        onto the verb after it ("这44条修完了吗": 条修); nor does "也是这么多"."""
        for marker in self.words.same_as:
            text = text.replace(marker, "，")
        return self._without_opener(POINTED_FIGURE.sub("，", self._without_period(text)))

    def _without_period(self, text: str) -> str:
        """The question without the period it asks about ("上个月"), which names no topic."""
        return re.sub("|".join(map(re.escape, self.knowledge.vocabulary.shorter_periods)) or "(?!)", "，", text)

    def _without_opener(self, text: str) -> str:
        """The question without a follow-up's opening word ("那惠企政策上…"), which the segmenter would glue on (那惠企)."""
        opener = next((o for o in self.words.followup_openers if text.startswith(o) and len(text) > len(o) + 1), "")
        return text[len(opener) :]

    def _decisive(self, missing: list[str], text: str, kind: Kind, topic: tuple[str, ...], measure: str) -> tuple[str, ...]:
        """The missing words that decide the report does not cover the question. A word the report lacks beside a
        specific one it has ("今年村里给小孩玩耍学习的儿童之家要建多少处", "22年科小入库多少家") is the citizen's description,
        when the kind asked must still be met by a clause about that specific word. Not so for what is counted ("彩石校区能招
        多少学生": 学生 is what is asked), nor for a kind any sentence about the topic meets (a name, a yes/no, what the
        report says), unless a figure checked as the report writes it names the thing ("商店卖出去的东西总额是600亿吗")."""
        if kind is Kind.YES_NO and any(not f.isdigit() and f in self.knowledge.report_text for f in quoted_figures(text)):
            return ()
        if not missing or kind in LENIENT_KINDS or measure in missing:
            return tuple(missing)
        if any(re.search(rf"{re.escape(word)}{VALUE_ASKED}", text) or word.endswith(PRICED) for word in missing):
            # "区长办公室电话是多少", "保租房租金一个月多少钱": the value of 电话, 租金 is what is asked; "城镇登记失业率控制目标": a
            # rate or a price the report never names is the indicator asked, not a description of a word beside it.
            return tuple(missing)
        specific = [t for t in topic if t not in missing and self._specificity(t) >= self.policy.key_min_idf]
        return () if specific else tuple(missing)

    def _asks_level(self, text: str, kind: Kind) -> bool:
        """Does the question ask for a level, which a percentage change does not give? Either it says so ("总量"), or it
        asks how much an indicator is ("2023年GDP是多少"), not a change or a target ("GDP目标多少" may be a rate)."""
        asks_change = any(cue in text for cue in self.words.change_cues) or CHANGE_ASKED.search(text)
        if self.states_level(text):  # unless a change is asked: "外贸进出口总额涨了多少" names the indicator
            return not asks_change
        asks_change_or_plan = asks_change or self.knowledge.vocabulary.asks_plan(text)
        return kind is Kind.AMOUNT and not asks_change_or_plan and not RATIO_NAMED.search(text)

    def states_level(self, text: str) -> bool:
        """Does the question say it wants a level ("总量", "一共有多少")?"""
        return any(cue in text for cue in self.words.level_cues)

    def _without_names(self, text: str, topic: tuple[str, ...]) -> str:
        """The question without the report's names that hold a plan or result word ("倍增计划"): they ask neither."""
        vocabulary = self.knowledge.vocabulary
        names = [t for t in topic if t in self.knowledge.report_text and (vocabulary.asks_plan(t) or vocabulary.asks_result(t))]
        return re.sub("|".join(map(re.escape, names)) or "(?!)", "，", text)

    def topic_words(self, text: str, last_resort: bool = False) -> tuple[str, ...]:
        """The question's own topic words: nouns first, each group most specific (highest IDF) first.

        A question of nothing but generic words ("今年政府工作重点抓几个方面") is about those words.
        """
        knowledge = self.knowledge
        year_words = set(knowledge.vocabulary.relative_years)
        for word in sorted(year_words, key=len, reverse=True):  # "上一年" must not leave "一年" behind as a topic
            text = text.replace(word, " ")
        # A name the citizen quotes ("“之都”") is a topic word as written when the segmenter finds no word in it.
        quoted = [
            q.lower()
            for q in QUOTED.findall(text)
            if len(q) >= 2 and q.lower() in knowledge.report_text and not any(len(t) >= 2 for t in knowledge.tokenize(q))
        ]
        tokens = [
            t
            for t in dict.fromkeys([*quoted, *knowledge.tokenize(text)])
            if len(t) >= 2
            and not NUMBER.search(t)
            and not COUNTED_WORD.fullmatch(t)
            and not t.startswith(ASKED_COUNT)  # "几等奖", "几年": the count asked, no topic
            and t not in self.words.measure_units
            and t not in self.words.pronouns  # "那个校区": 那个 points back, it names nothing
        ]
        if last_resort:
            found = [t for t in tokens if t not in self.words.asking and t not in self._cue_words and t in knowledge.idf]
        else:
            # A generic name the search tokens leave out ("历城区") still hides its parts ("城区") from the topic.
            generic = [t for t in tokens if t in self.words.generic] + [g for g in self.words.generic if len(g) > 2 and g in text]
            found = [
                t
                for t in tokens
                if t not in self.words.generic and t not in self._cue_words and not any(t in g for g in generic)  # 区政 of 区政府
            ]
        found = [t for t in found if not (t[0] in self.words.attached and t[1:] in found)]
        found = list(dict.fromkeys(t if f"{SHARE_OF}{t}" in text.lower() else self.knowledge.report_name(t) for t in found))
        tagged = knowledge.tag(text)
        nouns = [w.lower() for w, tag in tagged if tag.startswith("n") or tag in ("eng", "vn")]
        # Neighbouring words the report writes as one name ("残疾人"+"之家", "大悦"+"城") are one topic word.
        for first, second in zip(tagged, tagged[1:]):
            joined = (first[0] + second[0]).lower()
            # "在"+"全省" is a word glued on; "亿元"+"产业发展资金" the unit of a figure before ("10亿元产业发展资金");
            # "热线"+"办" a verb after the noun ("热线办了多少件"), even where the report writes "热线办理".
            verb = second[1] == "v" and len(second[0]) == 1
            glued = first[0] in self.words.attached or not first[0].strip(MONEY_UNITS) or verb
            if (
                NAME_PART.fullmatch(joined)
                and joined in knowledge.report_text
                and joined not in found
                and not glued
                and (first[0] in found or second[0] in found)
            ):
                found.append(joined)
                nouns.append(joined)
        return tuple(sorted(found, key=lambda t: (not any(t in n for n in nouns), -round(self._specificity(t), 6), -len(t))))

    def _one_thing(self, word: str) -> bool:
        return len(word) >= NAME_CHARS and self._specificity(word) >= self.policy.key_min_idf

    def _specificity(self, word: str) -> float:
        """How specific a topic word is: its IDF, or for a citizen's word the report never writes ("课后托管") the
        IDF of the report's term for it (课后延时服务), so that it is not ranked below the generic words beside it."""
        weight = self.knowledge.weight(word)
        if weight:
            return weight
        return max((self.knowledge.weight(term.lower()) for term in self.knowledge.terms_for(word)), default=0.0)

    def knows_topic(self, intent: Intent) -> bool:
        """Does the report use one of the question's topic words (itself or through the synonym list)?"""
        return any(t in self.knowledge.idf or self.knowledge.terms_for(t) for t in intent.topic)

    def _knows_a_thing(self, intent: Intent) -> bool:
        """Does the report know a noun of the question ("去年GDP多少": GDP), not only a verb ("今年计划引进多少": 引进)?"""
        nouns = {
            name
            for w, tag in self.knowledge.tag(intent.text)
            if tag.startswith("n") or tag in ("eng", "vn")
            for name in (w.lower(), self.knowledge.report_name(w.lower()))  # "GDP" is the topic 地区生产总值
        }
        return self.knows_topic(intent.with_(topic=tuple(t for t in intent.topic if t in nouns)))

    def leans_on_previous(self, intent: Intent) -> bool:
        """Does the question need the previous turn: no topic of its own (or none the report uses: "今年还要再建15家吗？"
        names only 还要 and 再建), elliptical, a pronoun, or very short without a year and a topic the report knows?
        "去年GDP多少" is complete; "今年还装吗" is not."""
        bare = re.sub(r"[？?。！!\s]+$", "", intent.text.strip())
        return (
            not self.knows_topic(intent)
            or self.refers_back(intent)
            or (len(bare) <= self.policy.followup_max_chars and not (intent.years and self._knows_a_thing(intent)))
        )

    def names_own_topic(self, intent: Intent) -> bool:
        """Does the question name a thing of its own that the report knows, not only generic words ("进展")?"""
        own = self.topic_words(intent.text)
        return any(len(word) >= self.policy.own_topic_min_chars for word in own) and self.knows_topic(intent)

    def refers_back(self, intent: Intent) -> bool:
        """Does the question say it continues the previous one ("那今年呢", "还有呢", "那个项目", "其中…")?"""
        bare = re.sub(r"[？?。！!\s]+$", "", intent.text.strip())
        return (
            bare.startswith((*self.words.followup_openers, *self.words.after_done))
            or bare.endswith(self.words.followup_closers)
            or any(p in bare for p in (*self.words.pronouns, *self.words.part_markers, *self.words.same_as))
            or bool(POINTED_FIGURE.search(bare))
        )

    def complete(self, intent: Intent, previous: Intent) -> Intent:
        """The follow-up with what it lacks taken from the previous turn's intent."""
        # A yes/no question keeps its own kind: "今年还建吗？" asks whether, not how many.
        inherit_kind = intent.kind is Kind.GENERAL and not intent.quoted_figures
        named = asked_years(intent.text, self.knowledge.report_year, self.knowledge.vocabulary)
        bare = re.sub(r"[？?。！!\s]+$", "", intent.text)
        # "那历城职专呢": a new thing asked the same way; "这个学校还有啥荣誉": a pronoun, the same thing asked more of.
        opened = bare.startswith(self.words.followup_openers) and not bare.startswith(self.words.pronouns)
        framed = bare.endswith(self.words.followup_closers) or opened
        # "这个学校", "他们学校": a category named after a pronoun is the previous turn's thing, not a topic of its own;
        # a long rare name ("这个产业发展资金") is that thing itself.
        pointers = (*self.words.pronouns, "他们", "它们")
        pointed = [t for t in intent.topic if any(f"{p}{t}" in intent.text for p in pointers) and not self._one_thing(t)]
        intent = intent.with_(topic=tuple(t for t in intent.topic if t not in pointed))
        # "也是这么多吗": the previous turn's years beside the follow-up's own.
        same_as = any(marker in bare for marker in self.words.same_as)
        # "这个去年就装完了吧？" after "听说要给15万户免费装烟感报警器？": a yes/no pointing at the previous thing, naming
        # nothing new, checks the previous turn's figure as if quoted.
        points = intent.kind is Kind.YES_NO and not self.knows_topic(intent) and any(p in bare for p in self.words.pronouns)
        return intent.with_(
            replaces_topic=bool(intent.topic) and framed,
            followup=True,
            part=any(marker in bare for marker in self.words.part_markers),
            context=" ".join((previous.topic or previous.inherited_topic) + previous.expansions),
            years=intent.years if named or intent.years or not previous.years else previous.years,
            compared_years=intent.compared_years
            or (tuple(y for y in previous.years if y not in intent.years) if same_as else ()),
            quoted_figures=intent.quoted_figures or (previous.quoted_figures if points else ()),
            kind=previous.kind if inherit_kind else intent.kind,
            kind_inherited=inherit_kind and previous.kind is not Kind.GENERAL,
            change=intent.change or (inherit_kind and previous.change),
            level=intent.level or (inherit_kind and previous.level),
            unit=intent.unit or (previous.unit if inherit_kind else ""),
            action=intent.action or (previous.action if inherit_kind else ""),
            inherited_topic=tuple(t for t in previous.topic or previous.inherited_topic if t not in intent.topic),
            # "能补多少？" after "老小区加装电梯有补贴吗？": still about the 电梯 the report never names.
            missing=intent.missing or (previous.missing if not self.knows_topic(intent) else ()),
        )

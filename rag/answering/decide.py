"""Stage 4, decide: answer, partial answer or refusal, in one place, with the reason as an enum.

The rule that keeps refusal and answer in agreement: if a sentence about the question's topic holds the
kind of answer asked for in the asked year, the engine answers with it; if only another year's sentence
does, it answers partially and says which year the figure belongs to; if sentences about the topic exist
but none holds what was asked, it refuses and says what the report does give.
"""

from __future__ import annotations

import re

from rag.answering.decision import Decision, Reason, Verdict, refusal
from rag.answering.evidence import CHANGE_VERBS, LIST_LEVEL_ASKED, RATE, clauses_of, names_only_by_description
from rag.answering.indicators import answers_pair, same_indicator
from rag.answering.intent import FIGURE_KINDS, LENIENT_KINDS, Intent, Kind
from rag.answering.knowledge import Knowledge
from rag.answering.lists import ListFinder, names_as_a_whole
from rag.answering.policy import AnswerPolicy
from rag.answering.reading import breakdown_parts
from rag.answering.select import Candidate, character_pairs
from rag.retrieval.query import in_unit

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# A sentence that counts what a list question asks for ("超过20家", "15件", "6条", "14只"), or names a counted whole by
# its count ("“四张清单”", "“两心四区五园”", "“四减四增”", "“三高”", "十大提升行动"), or by a batch it does not name
# ("打造新一批品牌学校").
NUMERAL = "[一二两三四五六七八九十]"
COUNTED = re.compile(
    r"\d+(?:\.\d+)?(?:万|亿)?(?:余)?[个件项条家所处座批种类只]"
    rf"|“[^”]*{NUMERAL}[个件项张条心区园朵大][^”]*”|“[^”]*{NUMERAL}[^”]*{NUMERAL}[^”]*”"  # “四张清单”, “四减四增”
    rf"|“{NUMERAL}[\u4e00-\u9fff]{{1,2}}”"  # “三高”, “六稳”
    rf"|{NUMERAL}大(?=[\u4e00-\u9fff]{{2}})"  # "十大提升行动"
    r"|新?一批"
)
# A change stated against the year before ("增长448%", "下降48.6%", "提高到995元" is a level, not a change).
CHANGE = re.compile(rf"(?:{CHANGE_VERBS}|翻)了?\d")


def topic_clause(candidate: Candidate) -> str:
    """The clause of a sentence that speaks most of the question's topic."""
    clauses = clauses_of(candidate.text)
    if not candidate.clause_coverage:
        return candidate.text
    return clauses[max(range(len(clauses)), key=lambda i: candidate.clause_coverage[i])]


class Decider:
    def __init__(self, knowledge: Knowledge, policy: AnswerPolicy):
        self.knowledge = knowledge
        self.policy = policy
        self.lists = ListFinder(knowledge, policy)

    def decide(self, intent: Intent, candidates: list[Candidate]) -> Decision:
        if intent.small_talk:
            return Decision(Verdict.SMALL_TALK, Reason.GREETING)
        if not CHINESE.search(intent.question):
            return refusal(Reason.NOT_CHINESE)
        if intent.off_topic:
            return refusal(Reason.OFF_TOPIC)
        covered = self.knowledge.years_covered
        if intent.period or any(year not in covered for year in intent.years):
            # "前年GDP多少", "上个月热线接了多少件": refused, with what the report gives for the years it covers beside.
            nearest = self.decide(intent.with_(period="", years=tuple(y for y in intent.years if y in covered)), candidates)
            shown = nearest.chosen[:1] if not nearest.refused and not intent.compared_years else ()
            if intent.period:  # "今天股票行情怎么样" stays off the report's topics
                return nearest if nearest.reason is Reason.OFF_TOPIC else refusal(Reason.PERIOD_NOT_COVERED, shown)
            quoted = tuple((f, c.year) for f in intent.quoted_figures for c in shown if f in c.text)
            if quoted:  # "前年GDP是1265亿元吗": the figure quoted is another year's; say whose, as for any year trap
                return Decision(Verdict.PARTIAL, Reason.YEAR_NOT_COVERED, chosen=shown, figure_years=quoted)
            return refusal(Reason.YEAR_NOT_COVERED, shown)
        unknown = [f for f in intent.quoted_figures if not f.isdigit() and f not in self.knowledge.report_text]
        if unknown and intent.kind is not Kind.YES_NO:
            return refusal(Reason.NOT_IN_REPORT)  # "80岁以上老人打疫苗的比例": the report has no 80岁 to speak of
        best = max((c.coverage for c in candidates), default=0.0)
        about = [c for c in candidates if c.about]
        if intent.missing or not about:
            nothing = best == 0.0 or (intent.missing and len(intent.missing) >= len(intent.topic))
            return refusal(Reason.OFF_TOPIC if nothing and not intent.followup else Reason.NOT_IN_REPORT)
        fitting = [c for c in about if c.fits]
        parts = breakdown_parts(intent.text) if len(intent.years) < 2 else ()  # "去年和今年…分别是多少": by year
        if parts and not all(character_pairs(part) & character_pairs(about[0].text) for part in parts):
            # "幼儿园、小学、初中各多少个": the sentence gives the whole (新增学位1.7万个), not 初中's share of it.
            return refusal(Reason.KIND_NOT_GIVEN, (about[0],))
        about_in_year = [c for c in about if not intent.years or c.year in intent.years]
        if intent.kind is Kind.NAME and intent.measure and names_only_by_description(about[0].text, intent.measure):
            return refusal(Reason.KIND_NOT_GIVEN, (about[0],))  # "那家上市公司叫啥": "A股首家监理行业上市公司"
        # "企业上云有补贴吗", "买房的刚需有啥补贴": 上云 and the housing policy are reported, a subsidy is not.
        asked_year = (about_in_year or about)[0]
        if (
            intent.kind in (Kind.YES_NO, Kind.GENERAL)
            and intent.measure
            and not self.knowledge.names(asked_year.text, intent.measure)
        ):
            return refusal(Reason.KIND_NOT_GIVEN, (asked_year,))
        if intent.kind is Kind.LIST:
            listed = self.lists.find(intent, about, fitting)
            if listed:
                return Decision(Verdict.ANSWER, chosen=(listed.head,), list_items=listed.items, list_sentences=listed.sentences)
            # "新增的3家国家重点实验室分别是哪些": the clause holding the count quoted counts them and names none.
            quoted = [f for f in intent.quoted_figures if COUNTED.fullmatch(f)]
            if fitting and any(f in topic_clause(fitting[0]) for f in quoted):
                return refusal(Reason.KIND_NOT_GIVEN, (fitting[0],))
        if fitting:
            return self._answer(intent, fitting, about, candidates)
        if intent.kind is Kind.LIST:
            # Items only counted ("引进品牌首店超过20家", "6条轨道交通线", "15件" quoted) are not named; else one per clause.
            heads = about[: self.policy.list_heads_read]
            counting = next((c for c in heads if COUNTED.search(topic_clause(c)) or any(f in c.text for f in quoted)), None)
            if counting is not None:
                return refusal(Reason.KIND_NOT_GIVEN, (counting,))
            if LIST_LEVEL_ASKED.search(intent.text):  # "包括哪几个村": no clause names villages
                return refusal(Reason.KIND_NOT_GIVEN, (about[0],))
            if not about_in_year:  # "地铁今年哪条线能通车": the lines opened last year are not this year's
                return refusal(Reason.NOT_IN_REPORT, (about[0],))
            if intent.measure and not self.knowledge.names(asked_year.text, intent.measure):
                return refusal(Reason.KIND_NOT_GIVEN, (asked_year,))  # "哪些企业能拿到": no enterprise is named
            if intent.measure and names_as_a_whole(asked_year.text, intent.measure, intent.text):
                return refusal(Reason.KIND_NOT_GIVEN, (asked_year,))  # "有哪些优势专业": "推进历城职专优势专业建设"
            return Decision(Verdict.ANSWER, chosen=self._with_second(about_in_year))
        if intent.kind in LENIENT_KINDS or intent.kind_inherited:
            return Decision(Verdict.PARTIAL if intent.kind_inherited else Verdict.ANSWER, chosen=self._each_year(about))
        return refusal(Reason.KIND_NOT_GIVEN, (about[0],))

    def _each_year(self, about: list[Candidate]) -> tuple[Candidate, ...]:
        """The best sentence, and the other year's best when it scores nearly as well: both are what the report says."""
        first = about[0]
        other = next((c for c in about if c.year != first.year), None)
        if other is not None and other.score >= self.policy.second_sentence_ratio * first.score:
            return (first, other)
        return (first,)

    def _answer(self, intent: Intent, fitting: list[Candidate], about: list[Candidate], everything: list[Candidate]) -> Decision:
        asked = set(intent.years)
        in_year = [c for c in fitting if not asked or c.year in asked]
        other = [c for c in fitting if asked and c.year not in asked]
        about_in_year = [c for c in about if not asked or c.year in asked]
        if intent.kind in LENIENT_KINDS and asked and not about_in_year and not intent.quoted_figures:
            if intent.followup and not any(self.knowledge.uses(w) for w in intent.topic):
                return refusal(Reason.NOT_IN_REPORT)  # "今年还建吗？" asks the last answer again of a year that lacks it
            # "彩石校区今年建好了吗？": nothing of the asked year is about it; what another year says is given under
            # that year's label, after saying the asked year has nothing.
            return Decision(Verdict.PARTIAL, Reason.OTHER_YEAR_ONLY, chosen=(other[0],))
        if intent.kind in LENIENT_KINDS and about_in_year:
            in_year = [c for c in in_year if c in about_in_year] or about_in_year
            # "今年唐冶三甲医院封顶了没？": another year's sentence holds more of the question (主体封顶, 2022) than the
            # asked year's (全力推进建设): both are what the report says, the fuller first.
            fuller = [c for c in other if c.coverage > about_in_year[0].coverage]
            if intent.kind is Kind.YES_NO and fuller and not intent.quoted_figures:
                return Decision(Verdict.ANSWER, chosen=(fuller[0], about_in_year[0]))
            other = []
        figures = self._figure_years(intent, in_year[:1] or about_in_year[:1], everything)
        quoted_elsewhere = any(year is not None and year not in asked for _, year in figures)
        if quoted_elsewhere:  # "今年那183个重点项目都开工了吗？": this year's figure of the same thing first
            holders = [c for c in everything if any(f in c.text for f, _ in figures)]
            in_year.sort(key=lambda c: not any(same_indicator(c, h) for h in holders))
        # The asked year speaks of the topic as well as the other year does (not only through a synonym), or gives a
        # figure the fact index pairs with the other year's ("21条道路" in 2022, "44条市政道路" planned for 2023).
        year_has_topic = bool(about_in_year) and (
            not other
            or about_in_year[0].coverage >= self.policy.asked_year_share * other[0].coverage
            or any(self._paired(intent, c, other[0]) for c in in_year)
        )
        if other and not quoted_elsewhere:  # the figure paired with the other year's is the one of the same thing
            in_year.sort(key=lambda c: not self._paired(intent, c, other[0]))
        if in_year and (year_has_topic or quoted_elsewhere or not other):
            chosen = self._with_second(in_year)
            if len(asked) > 1:  # "去年和今年分别是什么进度": the best of each year asked
                chosen = tuple(
                    next(c for c in in_year if c.year == year) for year in intent.years if any(c.year == year for c in in_year)
                )
            compared = [c for c in fitting if c.year in intent.compared_years and c.year not in asked]
            # "今年保租房新增了多少套" asks what was done of a year only planned: the year before's result beside the plan.
            done = [c for c in other if intent.achieved and c.year < chosen[0].year and same_indicator(c, chosen[0])]
            if compared or done:  # "比去年高还是低": both years side by side
                chosen = chosen[:1] + ((compared or done)[0],)
            missing = tuple(
                y for y in intent.compared_years if y in self.knowledge.years_covered and not any(c.year == y for c in chosen)
            )
            # "比前年多吗": the other side is a year no report covers; only a change the report states ("增长448%",
            # measured against that year) answers it.
            uncovered = intent.compared_years and not set(intent.compared_years) & set(self.knowledge.years_covered)
            if uncovered and not any(CHANGE.search(c.text) for c in chosen):
                return refusal(Reason.YEAR_NOT_COVERED)
            context = self._figure_context(figures, chosen, everything)
            return Decision(Verdict.ANSWER, chosen=chosen, context=context, figure_years=figures, compared_missing=missing)
        # The other year names the topic at least as fully as the asked year does ("2023年跨境电商进出口额": 2023 speaks
        # of 外贸进出口额, 2022 of 跨境电商进出口额达到16亿元; "2023年低保标准": 2023 only names 低保, 2022 gives 995元):
        # its figure is the one asked, under its own year. A less fitting one is another indicator: refused. "At least as
        # fully" allows for a compound the other year writes apart ("市场主体增长3.4%、总量达到21.7万户").
        other_closer = (
            intent.kind in FIGURE_KINDS
            and bool(about_in_year)
            and other[0].coverage >= self.policy.asked_year_share * about_in_year[0].coverage
            # A later year's planned growth is no answer to how much an earlier year grew ("去年比前年涨了百分之几").
            and not ((intent.change or intent.compared_years) and other[0].year > max(asked))
        )
        if (
            year_has_topic
            and intent.kind not in LENIENT_KINDS
            and not same_indicator(about_in_year[0], other[0])
            and not other_closer
            and not (intent.achieved and other[0].year < max(asked))  # "今年热线已经办了多少件": the year before's result
        ):
            # The asked year's sentence is about the topic but gives no such figure: say so, do not swap years.
            if intent.kind is Kind.LIST and not COUNTED.search(topic_clause(about_in_year[0])):
                # Its items are named one per clause ("黄东联络线通车运营，济莱高铁顺利开通，历城站投入使用").
                return Decision(Verdict.ANSWER, chosen=self._with_second(about_in_year))
            return refusal(Reason.KIND_NOT_GIVEN, (about_in_year[0],))
        # What the asked year does say about the topic, even without the key word, beside the other year's figure.
        said = [c for c in everything if c.year in asked and c.coverage >= self.policy.refusal_coverage]
        context = tuple((about_in_year or sorted(said, key=lambda c: -c.coverage))[:1])
        if self._other_year_cannot_answer(intent, other[0], context):
            return refusal(Reason.OTHER_YEAR_ONLY, (other[0],))
        return Decision(
            Verdict.PARTIAL,
            Reason.OTHER_YEAR_ONLY,
            chosen=(other[0],),
            context=context,
            figure_years=self._figure_years(intent, [other[0]], everything),
        )

    def _other_year_cannot_answer(self, intent: Intent, other: Candidate, context: tuple[Candidate, ...]) -> bool:
        """Is what was asked of a kind no figure of the other year can be? A plan or target ("今年低保会再涨到多少", "今年还要
        开几条？") is not an earlier year's result; how much a year grew ("那去年实际增长了多少？") is not a later year's planned
        growth. The report then does not give it: refused, the other year's figure shown beside under its own year.

        Not when the asked year's own sentence holds a figure that may answer (the target said in words the question does
        not use: "今年目标是多少个？" → 亿元以上项目160个; a growth in the clause about the topic: "城乡居民人均可支配收入分别增长
        4%和7%"), nor for a figure the citizen quotes ("今年高企还要再新增174家吗"), which is checked as in any year trap,
        nor for a kind inherited ("那今年在首店这块有啥打算？" asks what is planned, not how many)."""
        if intent.kind not in FIGURE_KINDS or intent.kind_inherited or intent.quoted_figures or not intent.years:
            return False
        if intent.plan and other.year < min(intent.years):
            return not any(self._holds_figure(intent, c.text) for c in context)
        if intent.change and not intent.plan and other.year > max(intent.years):
            return not any(RATE.search(topic_clause(c)) or CHANGE.search(topic_clause(c)) for c in context)
        return False

    @staticmethod
    def _holds_figure(intent: Intent, text: str) -> bool:
        """Does the text hold a figure that may answer: a level asked ("GDP目标总量") is not given by a rate (增长6%), nor
        a count of days ("目标是多少天") by a figure in another unit (综合指数提高5%)."""
        if intent.unit:
            return in_unit(text, intent.unit)
        return bool(re.search(r"\d", RATE.sub("", text) if intent.level else text))

    def _paired(self, intent: Intent, candidate: Candidate, other: Candidate) -> bool:
        """Does the candidate answer with the figure paired with the other year's, and not of something else, which
        only the other year names in the question's own words ("2023年新增学位多少": 2023's 12所 pairs with 2022's 19处
        schools, beside which 2022 gives 新增学位1.7万个)?"""
        text, other_text = candidate.text.lower(), other.text.lower()
        # What is counted, in the report's words too ("上学的名额" → 学位): 12所 schools do not count 学位.
        counted = [term.lower() for term in self.knowledge.terms_for(intent.measure)] if intent.measure else []
        if any(word in other_text and word not in text for word in (*intent.topic, *counted)):
            return False
        return answers_pair(candidate, other)

    def _with_second(self, ranked: list[Candidate]) -> tuple[Candidate, ...]:
        """The best sentence, and the next of the same year when it scores nearly as well (a list or fact continued)."""
        first = ranked[0]
        chosen = [first]
        for candidate in ranked[1:]:
            if len(chosen) >= self.policy.max_sentences:
                break
            same = candidate.year == first.year and candidate.text != first.text
            if same and candidate.score >= self.policy.second_sentence_ratio * first.score:
                chosen.append(candidate)
        return tuple(chosen)

    def _figure_years(
        self, intent: Intent, chosen: list[Candidate], everything: list[Candidate]
    ) -> tuple[tuple[str, int | None], ...]:
        """Each figure the citizen quotes, with the year it belongs to (None: the report does not have it)."""
        result = []
        for figure in intent.quoted_figures:
            if any(figure in c.text for c in chosen):
                continue
            holder = self._holder(figure, everything)
            result.append((figure, holder.year if holder else None))
        return tuple(result)

    def _holder(self, figure: str, everything: list[Candidate]) -> Candidate | None:
        """The sentence that holds a figure: among those retrieved, else anywhere in the report ("去年279个重点项目都开工了吗":
        279个 is 2023's plan, in a passage the question about 2022 did not retrieve)."""
        if found := next((c for c in everything if figure in c.text), None):
            return found
        sentence = next((s for s in self.knowledge.all_sentences if figure in s.text), None)
        if sentence is None:
            return None
        return Candidate(sentence, self.knowledge.passage_of(sentence), 0.0, False, False, (), 0.0)

    def _figure_context(self, figures, chosen, everything) -> tuple[Candidate, ...]:
        """The sentence that holds a quoted figure of another year, to show where it comes from."""
        shown = []
        for figure, year in figures:
            holder = next((c for c in everything if figure in c.text and c not in chosen), None) or self._holder(figure, [])
            if year is not None and holder and holder not in shown:
                shown.append(holder)
        return tuple(shown)

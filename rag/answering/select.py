"""Stage 3, select: every sentence of the retrieved passages scored against the intent.

A sentence is scored by its passage's retrieval rank and by the share of the question's topic it holds
(IDF-weighted, the report's synonyms counting for the citizen's words), with a bonus when a clause about
the topic holds the kind of answer asked for and when its year is the year asked. Weights: AnswerPolicy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rag.answering.evidence import changed_by, clauses_of, counts_together, holds_kind, starts_of
from rag.answering.intent import FIGURE_KINDS, Intent, Kind
from rag.answering.knowledge import DONE, Knowledge, ReportSentence
from rag.answering.policy import AnswerPolicy
from rag.types import Passage

# Kinds whose answer may follow the subject a sentence named clauses before: figures ("…活动…，拉动汽车消费22亿元"),
# and a position ("全年技术合同交易额突破75亿元，在全省…绩效评价中位列第一").
SUBJECT_CARRIED_KINDS = (*FIGURE_KINDS, Kind.RANK)
# Kinds whose answer may be the sentence's subject, named in the clause before the one about the topic
# ("济南智能传感器产业园被省委确定为主会场，承办全省春季重大项目集中开工活动").
SUBJECT_ANSWERS_KINDS = (Kind.PLACE,)


@dataclass(frozen=True)
class TopicWeights:
    """Each topic word with the words that count for it (itself and the report's terms for it) and its weight."""

    # (the citizen's word, every spelling that counts, weight); a spelling "a+b" counts when all its parts stand in the text
    groups: tuple[tuple[str, frozenset[str], float], ...]

    @property
    def total(self) -> float:
        return sum(weight for _, _, weight in self.groups)

    def covered(self, text: str, expansion_credit: float) -> float:
        """Weight of the topic found in `text` (lower-cased); a word met only through a synonym earns less."""
        return sum(
            weight if word in text else weight * expansion_credit if any(spelled_in(s, text) for s in spellings) else 0.0
            for word, spellings, weight in self.groups
        )


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage as an answer to the intent."""

    sentence: ReportSentence
    passage: Passage
    coverage: float  # share of the topic weight the sentence (with its section name) holds
    about: bool  # about the question's topic: enough coverage, and the question's key word in it
    fits: bool  # a clause about the topic holds the kind of answer asked for
    answer_clauses: tuple[int, ...]  # indexes of the clauses that answer, in order
    score: float
    clause_coverage: tuple[float, ...] = ()  # per clause: the topic weight it holds (with its facts' subjects)

    @property
    def year(self) -> int:
        return self.passage.year

    @property
    def text(self) -> str:
        return self.sentence.text


def topic_weights(words: tuple[str, ...], knowledge: Knowledge, scale: float = 1.0) -> TopicWeights:
    groups = []
    for word in words:
        word = word.lower()
        spellings = {word} | {t.lower() for t in knowledge.terms_for(word)} | knowledge.abbreviations_in_report(word)
        weight = max((knowledge.weight(s) for s in spellings), default=0.0)
        # A compound the report writes apart ("市场主体…总量") is met, as through a synonym, by the words it is made of.
        parts = made_of(word, knowledge)
        if len(parts) >= 2:
            spellings.add("+".join(parts))
        if weight > 0:
            groups.append((word, frozenset(spellings), weight * scale))
    return TopicWeights(tuple(groups))


def spelled_in(spelling: str, text: str) -> bool:
    """Does the text hold the spelling: a word, or "a+b" (a compound written apart: all parts in one clause, as parts in
    two clauses name two things: "加快跨境电商产业发展，…外贸进出口额增长12%" holds no 跨境电商进出口额)?"""
    parts = spelling.split("+")
    return any(all(part in clause for part in parts) for clause in clauses_of(text)) if len(parts) > 1 else spelling in text


def made_of(word: str, knowledge: Knowledge) -> tuple[str, ...]:
    """The words a compound tokenizes into, when together they make it up ("市场主体总量" = 市场主体 + 总量), else ()."""
    return _parts_covering(word, tuple(t for t in knowledge.tokenize(word) if t != word and len(t) >= 2))


def _parts_covering(word: str, parts: tuple[str, ...]) -> tuple[str, ...]:
    """The parts, if together they make up the whole word ("森林抚育" = 森林 + 抚育; "出口额" ≠ 出口), else ()."""
    covered = {i for p in parts for start in starts_of(word, p) for i in range(start, start + len(p))}
    return parts if len(covered) == len(word) else ()


@lru_cache(maxsize=4096)  # the previous answer is compared with every sentence read for one question
def character_pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


# A clause this short ("加快建设") stands in many answers: it does not say which sentence was shown.
SHOWN_CLAUSE_MIN_PAIRS = 6


def shown_in(sentence: str, shown: str, share: float) -> bool:
    """Does `shown` (an earlier answer) hold at least `share` of the character pairs of a clause of the sentence? An
    answer quotes a long sentence by the clause that answered ("“蓝贝易书”荣获全国军创大赛一等奖，…")."""
    shown_pairs = character_pairs(shown)
    for clause in clauses_of(sentence):
        pairs = character_pairs(clause)
        if len(pairs) >= SHOWN_CLAUSE_MIN_PAIRS and len(pairs & shown_pairs) >= share * len(pairs):
            return True
    return False


class Selector:
    def __init__(self, knowledge: Knowledge, policy: AnswerPolicy):
        self.knowledge = knowledge
        self.policy = policy

    def candidates(self, intent: Intent, passages: list[Passage], best_score: float | None = None) -> list[Candidate]:
        own = topic_weights(intent.topic, self.knowledge)
        inherited = topic_weights(intent.inherited_topic, self.knowledge, self.policy.inherited_topic_weight)
        weights = TopicWeights(own.groups + inherited.groups)
        best = best_score or max((p.score for p in passages), default=1.0) or 1.0
        sentences = [(s, p) for p in passages for s in self.knowledge.sentences_of(p)]
        texts = [f"{s.text} {p.section}".lower() for s, p in sentences]
        # The key is looked for first in the passage retrieval ranks best: of the question's nouns, the one it
        # holds ("企业和个体户这些市场主体" → 市场主体), then in any passage.
        top = [t for (sentence, passage), t in zip(sentences, texts) if passage is passages[0]]
        topic = own if own.groups else inherited
        # What a count is of is the key when the report names it ("今年孩子上学新增了多少学位": 学位, not 孩子).
        # (The items of a list are named by what distinguishes them: "黄河淤背区建成了哪些公园" keys on 黄河淤背区.)
        measured = [g for g in topic.groups if g[0] == intent.measure.lower() and intent.kind in FIGURE_KINDS]
        if measured:
            topic = TopicWeights(tuple(measured) + tuple(g for g in topic.groups if g not in measured))
        # Counted in a citizen's word the report never uses ("孩子上学的名额"), it is the report's term for it (学位) that is
        # counted: looked for in every passage, since the first may name only the question's other words ("每个孩子").
        everyday = tuple(g for g in measured if not self.knowledge.uses(g[0]))
        key = (self._key(TopicWeights(everyday), texts) if everyday else None) or self._key(topic, top) or self._key(topic, texts)
        key = key or (self._key(topic, texts, self.policy.inherited_name_chars) if not own.groups else None)
        inherited_key = (self._key(inherited, top) or self._key(inherited, texts)) if own.groups else None
        # A follow-up whose own words the report never uses ("什么时候能开门看病？") asks about an event it does not
        # report, so the year of the event it does report ("主体封顶") does not date it.
        event_unknown = bool(intent.topic) and not own.groups
        found = [self._candidate(intent, s, p, weights, (key, inherited_key), best, event_unknown) for s, p in sentences]
        return sorted(found, key=lambda c: -c.score)

    def _key(self, topic: TopicWeights, texts: list[str], common_name_chars: int = 0) -> tuple[str, ...] | None:
        """The question's first topic word (nouns first) that a retrieved sentence holds: an answer must hold it too. A
        compound is held when all its parts are ("抚育森林" holds 森林抚育): returned as the spellings that count."""
        for word, spellings, _ in topic.groups:
            common = max(self.knowledge.weight(s) for s in spellings) < self.policy.key_min_idf
            if common and not (common_name_chars and len(word) >= common_name_chars):  # "招商" names a field, not a thing
                continue
            if DONE in word:  # something done ("建了"): what was done to the thing, not the thing
                continue
            exact = {
                o.lower() for g in self.knowledge.vocabulary.terms if word in (e.lower() for e in g.everyday) for o in g.official
            }
            if self.knowledge.uses(word):  # the report uses the citizen's word: it, or the report's term for it
                spellings = frozenset({word} | exact)
            # Its parts: the topic words inside it, or else the words it is made of ("市场主体总量" = 市场主体 + 总量).
            parts = _parts_covering(word, tuple(g[0] for g in topic.groups if g[0] != word and g[0] in word))
            parts = parts or made_of(word, self.knowledge)
            for text in texts:
                if any(s in text for s in spellings) or (parts and all(p in text for p in parts)):
                    return (word, *spellings, *(["+".join(parts)] if parts else []))
        return None

    @staticmethod
    def holds_key(text: str, key: tuple[str, ...] | None) -> bool:
        if key is None:
            return True
        return any(spelled_in(s, text) for s in key)

    def _candidate(self, intent, sentence, passage, weights, keys, best, event_unknown) -> Candidate:
        key, inherited_key = keys
        policy = self.policy
        section = passage.section.lower()
        text = f"{sentence.text.lower()} {section}"
        # A part's whole may be named in the sentence before ("谋划推进279个重点项目。…开工济滨高铁等62个新项目").
        read = f"{text} {passage.context.lower()}" if intent.part else text
        coverage = weights.covered(read, policy.expansion_credit) / (weights.total or 1.0)
        # A sentence the previous answer showed is about what that turn asked, whatever words it says it in.
        shown = bool(intent.previous_answer) and shown_in(sentence.text, intent.previous_answer, policy.shown_before_share)
        about = (coverage >= policy.refusal_coverage and self.holds_key(text, key)) or (shown and not intent.replaces_topic)
        if about and inherited_key and not intent.replaces_topic and not shown:
            # "建成后有多少张床位？" is still about the hospital; a part ("其中新开工的有几个？") may leave the whole
            # (279个重点项目) to the sentence before, in its paragraph.
            about = self.holds_key(text, inherited_key) or (
                intent.part and self.holds_key(passage.context.lower(), inherited_key)
            )
        clauses = clauses_of(sentence.text)
        answering, clause_coverage = self._answer_clauses(
            intent, sentence, clauses, weights, section, (key, key or inherited_key), event_unknown
        )
        fits = about and bool(answering) and (not sentence.non_answer or self._fact_answers(intent, sentence, weights))
        score = (
            policy.retrieval_weight * passage.score / best
            + policy.coverage_weight * coverage
            + (policy.kind_bonus if fits and intent.kind is not Kind.GENERAL else 0.0)
            + (policy.year_bonus if intent.years and passage.year in intent.years else 0.0)
        )
        if shown:
            score += policy.shown_before_bonus
        if sentence.non_answer and not fits:
            score *= policy.non_answer_discount
        return Candidate(sentence, passage, coverage, about, fits, tuple(answering), score, tuple(clause_coverage))

    def _answer_clauses(self, intent, sentence, clauses, weights, section, keys, event_unknown) -> tuple[list[int], list[float]]:
        """The clauses about the topic that hold the kind asked, and the topic weight of every clause.

        A clause is about the topic by its own words, by its facts' subjects (the fact index resolves "总量达到
        21.7万户" to 市场主体总量), or, when it has no figure of its own subject, by the clause before it.
        `keys`: the question's key word, and the one the sentence's subject must hold (the previous turn's key for
        "在全省排第几？"). `event_unknown`: the question's own words are not in the report.
        """
        credit = self.policy.expansion_credit
        key, subject_key = keys
        if (
            intent.measure
            and intent.kind in FIGURE_KINDS
            and not self.knowledge.names(f"{sentence.text}{section}", intent.measure)
        ):
            return [], [weights.covered(clause.lower(), credit) for clause in clauses]  # "能招多少学生": 9亿元 is not of 学生
        done = sentence.chunk.year < self.knowledge.doc_years.get(sentence.chunk.doc_id, self.knowledge.report_year)
        achieved = done and not event_unknown
        whole = weights.covered(sentence.text.lower(), credit)
        by_section = weights.covered(section, credit)
        answering, coverage = [], []
        for i, clause in enumerate(clauses):
            facts = tuple(f for f in sentence.facts if f.clause and f.clause in clause)
            subjects = [f"{f.indicator}{f.text}" for f in facts if f.type in ("figure", "rank") and f.indicator]
            # A list must be named in its own clause: the one before may be about something else entirely.
            borrowed = clauses[i - 1] if i and intent.kind is not Kind.LIST else ""
            with_subject = clause + ("".join(subjects) if subjects else borrowed)
            about = weights.covered(with_subject.lower(), credit)
            coverage.append(about)
            on_topic = about >= self.policy.clause_topic_share * whole or by_section >= whole
            if key and self.holds_key(with_subject.lower(), key):
                on_topic = True
            elif (
                subject_key and intent.kind in SUBJECT_CARRIED_KINDS and self.holds_key("".join(clauses[:i]).lower(), subject_key)
            ):
                # The sentence named the subject earlier ("“乐享消费”系列活动…，拉动汽车消费22亿元"), unless this
                # clause's figure is of another subject ("…1265亿元，固定资产投资增长14%").
                on_topic = on_topic or not subjects or weights.covered("".join(subjects).lower(), credit) > 0
            if whole and not on_topic:
                continue
            named_by_section = by_section > 0 and by_section >= whole  # "疫情防控…" > "投入抗疫资金5.3亿元"
            if intent.kind in FIGURE_KINDS and not named_by_section and not self._figure_of_topic(intent, clause, facts, weights):
                continue
            complete = about + by_section >= weights.total * (1 - 1e-9)
            subject = clauses[i - 1] if i and intent.kind in SUBJECT_ANSWERS_KINDS else ""
            # The year of an achieved event dates it only if it is the event asked, known by its verb, the first
            # character ("华山环宇城盛大开业" dates 开业; "安置房项目有序推进" does not date 交房, though it holds 房).
            # The clause must name the thing too, not only its section: "成功举办…推介活动" under the heading "中国算力峰会
            # 永久落户" does not date the summit.
            names_event = not intent.event or (intent.event[0] in clause and self.holds_key(with_subject.lower(), key))
            if holds_kind(subject + clause, facts, intent, achieved and complete and names_event):
                answering.append(i)
        return answering, coverage

    def _figure_of_topic(self, intent: Intent, clause: str, facts, weights: TopicWeights) -> bool:
        """Where the fact index read figures in the clause, one of them must be of the topic asked (and a change
        when a change is asked): "研发投入增长21%、占GDP比重达到3.1%" gives no GDP growth. A part asked is given
        only by a figure of the part itself, named as asked: not by one of a group it belongs to, nor of a related
        thing ("其中幼儿园占几所？": neither 19处中小学、幼儿园 nor 新增学位1.7万个), nor of the whole the turn before named
        ("其中小学学位": 学位 is that whole; "这里面光退税": 减税退税降费 is the whole 退税 is a piece of)."""
        figures = [f for f in facts if f.type == "figure"]
        if not figures:
            return True
        credit = self.policy.expansion_credit
        return any(
            weights.covered(f.indicator.lower(), credit) > 0
            and (not intent.change or changed_by(f.text, clause))
            and (not intent.part or self._of_part(f.indicator.lower(), intent))
            for f in figures
        )

    @staticmethod
    def _of_part(indicator: str, intent: Intent) -> bool:
        whole = set(intent.context.lower().split())  # the turn before's words: the part is named by the others
        own = [w for w in intent.topic if w not in whole] or list(intent.topic)
        named = [w for w in own if w in indicator and not any(w != x and w in x and x in indicator for x in whole)]
        return bool(named) and not counts_together(indicator, intent.topic)

    def _fact_answers(self, intent: Intent, sentence: ReportSentence, weights: TopicWeights) -> bool:
        """A title block or lead-in may still hold a typed fact about the topic (the date, the speaker)."""
        return any(weights.covered(f"{f.indicator}{f.text}".lower(), 1.0) > 0 for f in sentence.facts)

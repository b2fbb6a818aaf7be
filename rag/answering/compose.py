"""Stage 5, compose: the decision as text that quotes the report, labels each claim's year and cites it.

Every claim is a verbatim clause of the report (or a typed fact's own words), so every number in an answer
stands in the passage it cites. A partial answer says what the report does not give; a year trap names
the year the figure belongs to; an estimate (预计) is labelled as one; a list enumerates its items.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.facts.types import ESTIMATE, STATED
from rag.answering.decision import Decision, Reason, Verdict
from rag.answering.evidence import clauses_of, holds_kind
from rag.answering.intent import Intent, Kind
from rag.answering.knowledge import Knowledge
from rag.answering.policy import AnswerPolicy
from rag.answering.select import Candidate
from rag.answering.words import AnswerWords
from rag.types import Passage

NOT_IN_REPORT = "报告未提及这一内容。"
RELATED = "以下是报告中最接近的段落，供参考（不含答案）。"
ONLY_CHINESE = "本报告为中文，请用中文提问（The report is in Chinese: please ask in Chinese）。"
OFF_TOPIC = "报告未提及这一内容：这个问题不在政府工作报告的范围内。"


@dataclass(frozen=True)
class Claim:
    """One quoted statement: its words, the passage it cites and the year its label names (None: no label)."""

    quote: str
    passage: Passage
    labelled_year: int | None
    opens_list: bool = False  # a lead-in whose items follow as the next claims


@dataclass(frozen=True)
class Draft:
    text: str
    citations: tuple[Passage, ...]
    highlights: tuple[str, ...]
    refused: bool
    reason: Reason | None
    partial: bool
    claims: tuple[Claim, ...] = ()


class Composer:
    def __init__(self, knowledge: Knowledge, words: AnswerWords, policy: AnswerPolicy):
        self.knowledge = knowledge
        self.words = words
        self.policy = policy

    def compose(self, intent: Intent, decision: Decision, passages: list[Passage]) -> Draft:
        if decision.verdict is Verdict.REFUSE:
            return self._refusal(intent, decision, passages)
        lead = self._lead(intent, decision)
        claims = [self._claim(c, intent, decision) for c in decision.chosen]
        claims += [Claim(s.text.rstrip("。；"), self._cited(s, decision), s.chunk.year) for s in decision.list_sentences]
        claims += [self._claim(c, intent, decision) for c in decision.context]
        return self._assemble(lead, claims, refused=False, reason=decision.reason, partial=decision.verdict is Verdict.PARTIAL)

    def _lead(self, intent: Intent, decision: Decision) -> str:
        """What the citizen must read first: the year a figure belongs to, or what the report does not give."""
        notes = []
        asked = intent.year
        for figure, year in decision.figure_years:
            if year is None:  # the citizen's figure is not repeated: every number shown stands in a cited passage
                notes.append("报告中没有问题里的这个数字。")
            elif asked is not None and year != asked:
                notes.append(f"报告未提及{asked}年的{figure}；{figure}是{year}年的数字，不是{asked}年的。")
        for year in decision.compared_missing:
            notes.append(f"报告未提及{year}年可比的{self.words.kind_nouns[intent.kind]}。")
        if decision.reason is Reason.OTHER_YEAR_ONLY and not notes:
            notes.append(
                f"报告未提及{asked}年{self._topic(intent, own_only=True)}的{self.words.kind_nouns[intent.kind]}，以下是{decision.chosen[0].year}年的情况。"
            )
        elif decision.verdict is Verdict.PARTIAL and not notes:
            notes.append(f"报告未提及{self._topic(intent)}的{self.words.kind_nouns[intent.kind]}，相关内容如下。")
        return "".join(notes)

    def _topic(self, intent: Intent, own_only: bool = False) -> str:
        """The topic word as the citizen wrote it: topic words are lower-cased tokens ("gdp" of "GDP"). A word the
        report never uses names no topic ("今年还建吗？"); then the previous turn's word, unless `own_only` (its token
        may be cut: "残疾人之"), when it is ""."""
        # What a count is of names it best ("多少学位": 学位, not the 孩子 of "孩子上学").
        measure = intent.measure.lower()
        own = [w for w in (measure, *intent.topic) if w in intent.topic and (w == measure or self.knowledge.uses(w))]
        # Failing that, the first word the report uses ("在500强里排第几名" after 济钢集团: 济钢集团, not a cut "强里排").
        known = [w for w in intent.all_topic if self.knowledge.uses(w)] or list(intent.all_topic)
        word = next(iter(own), "" if own_only else next(iter(known), ""))
        for text in (intent.text, intent.context) if word else ():
            at = text.lower().find(word)
            if at >= 0:
                return text[at : at + len(word)]
        return word

    def _claim(self, candidate: Candidate, intent: Intent, decision: Decision) -> Claim:
        sentence = candidate.sentence
        stated = [f for f in sentence.facts if f.status == STATED]
        if sentence.non_answer and stated and not decision.list_items:
            # The title block is garbled as a sentence: say the fact in its own words ("历城区区长续明").
            wanted = {Kind.DATE: "date", Kind.DAY: "date", Kind.PERSON: "person", Kind.PLACE: "place"}.get(intent.kind)
            on_topic = sorted(stated, key=lambda f: -sum(t in f"{f.indicator}{f.text}".lower() for t in intent.all_topic))
            fact = next((f for f in stated if f.type == wanted), on_topic[0])
            return Claim(fact.text if fact.indicator in fact.text else f"{fact.indicator}：{fact.text}", candidate.passage, None)
        quote = self.quote(candidate, intent)
        if decision.list_items and candidate is decision.chosen[0]:
            quote = f"{quote.rstrip('：:')}：{'；'.join(decision.list_items)}"
        elif decision.list_sentences and candidate is decision.chosen[0]:
            return Claim(quote.rstrip("：:"), candidate.passage, candidate.year, opens_list=True)
        return Claim(quote, candidate.passage, candidate.year)

    def _cited(self, sentence, decision: Decision) -> Passage:
        """The passage to cite for a sentence: the retrieved one of its chunk when there is one."""
        retrieved = [c.passage for c in decision.chosen if c.passage.chunk_id == sentence.chunk.chunk_id]
        return retrieved[0] if retrieved else self.knowledge.passage_of(sentence)

    def quote(self, candidate: Candidate, intent: Intent) -> str:
        """The sentence, or for a long one the clauses that answer (with the clause before, which names the subject)."""
        sentence = candidate.text.rstrip("。；：")
        clauses = clauses_of(sentence)
        if intent.kind is Kind.LIST or len(sentence) <= self.policy.long_sentence_chars or len(clauses) <= 2:
            return sentence
        answering = candidate.answer_clauses or tuple(range(len(clauses)))
        if intent.kind in (Kind.GENERAL, Kind.NAME, Kind.YES_NO):
            # What the report says about a topic usually follows the clause that names it ("抢抓RCEP等契机，推动…").
            start = answering[0]
            end = min(max(answering[-1], start + self.policy.general_clauses - 1), len(clauses) - 1)
        else:
            # The answering clause that speaks most of the question's own topic, then each answering clause that names
            # a topic word the quote lacks: "新开工、续建、策划储备的项目各多少个" is answered by three clauses.
            named = [self._topic_words_in(clause, intent) for clause in clauses]
            coverage = candidate.clause_coverage or tuple(0.0 for _ in clauses)
            best = max(answering, key=lambda i: (bool(named[i]), coverage[i], -i))
            quoted, held = [best], set(named[best])
            facts = candidate.sentence.facts
            for i, clause in enumerate(clauses):
                holds = i in answering or holds_kind(
                    clause, tuple(f for f in facts if f.clause and f.clause in clause), intent, False
                )
                if named[i] - held and holds:
                    quoted.append(i)
                    held |= named[i]
            start, end = min(quoted), max(quoted)
        start = max(start - 1, 0) if start == end else start
        return "".join(clauses[start : end + 1]).rstrip("，；：")

    def _topic_words_in(self, clause: str, intent: Intent) -> frozenset[str]:
        """The question's own topic words a clause names, itself or by the report's term for it."""
        clause = clause.lower()
        return frozenset(
            word
            for word in intent.topic
            if word in clause or any(term.lower() in clause for term in self.knowledge.terms_for(word))
        )

    def _label(self, claim: Claim) -> str:
        passage = claim.passage
        if passage.year <= 0:  # a passage of unknown year (another chunking, e.g. the llama-index baseline): no label
            return ""
        label = self.knowledge.label_year(passage.year, passage.doc_id)
        if self._estimated(claim):
            label = f"{passage.year}年（预计）"
        return label

    def _estimated(self, claim: Claim) -> bool:
        sentence = next((s for s in self.knowledge.sentences_of(claim.passage) if claim.quote in s.text), None)
        return bool(sentence) and any(f.status == ESTIMATE and f.text in claim.quote for f in sentence.facts)

    def _assemble(
        self, lead: str, claims: list[Claim], refused: bool, reason: Reason | None, partial: bool, tail: str = ""
    ) -> Draft:
        citations: list[Passage] = []
        highlights: list[str] = []
        parts = [lead] if lead else []
        last_label = None
        seen_quotes: set[str] = set()
        for claim in claims:
            if claim.quote in seen_quotes:  # two overlapping chunks: the same words are cited once
                continue
            seen_quotes.add(claim.quote)
            if claim.passage not in citations:
                citations.append(claim.passage)
                highlights.append(claim.quote)
            else:
                position = citations.index(claim.passage)
                highlights[position] = f"{highlights[position]}｜{claim.quote}"
            number = citations.index(claim.passage) + 1
            label = self._label(claim) if claim.labelled_year is not None else ""
            prefix = f"{label}：" if label and label != last_label else ""
            last_label = label or last_label
            parts.append(f"{prefix}{claim.quote}[{number}]。")
        return Draft("".join(parts) + tail, tuple(citations), tuple(highlights), refused, reason, partial, tuple(claims))

    def _refusal(self, intent: Intent, decision: Decision, passages: list[Passage]) -> Draft:
        reason = decision.reason
        if reason is Reason.NOT_CHINESE:
            return self._related(ONLY_CHINESE, reason, passages)
        if reason is Reason.OFF_TOPIC:
            return Draft(OFF_TOPIC, (), (), True, reason, False)
        if reason is Reason.YEAR_NOT_COVERED:
            covered = "和".join(f"{y}年" for y in self.knowledge.years_covered)
            asked = dict.fromkeys((*intent.years, *intent.compared_years))
            outside = "、".join(f"{y}年" for y in asked if y not in self.knowledge.years_covered)
            if decision.context:  # what the report gives for a year it covers, labelled with that year
                lead = f"报告未提及{outside}的数据：报告只涉及{covered}。报告中最接近的是："
                return self._refused_beside(lead, f"（不是{outside}的）", intent, decision)
            return self._related(f"{NOT_IN_REPORT}报告只涉及{covered}，没有{outside}的内容。", reason, passages)
        if reason is Reason.PERIOD_NOT_COVERED:
            if decision.context:  # the year's figure, labelled with its year
                lead = f"报告未提及{intent.period}的数据：报告只给出全年的情况。报告中最接近的是："
                return self._refused_beside(lead, f"（是全年的，不是{intent.period}的）", intent, decision)
            return self._related(f"{NOT_IN_REPORT}报告只给出全年的情况，没有{intent.period}的数据。", reason, passages)
        if reason is Reason.OTHER_YEAR_ONLY and decision.context:  # a plan asked of a result, or a growth of a plan
            asked, shown = intent.year, decision.context[0].year
            topic, noun = self._topic(intent, own_only=True), self.words.kind_nouns[intent.kind]
            if shown < asked:
                lead = f"报告未提及{asked}年{topic}的目标或计划中的{noun}。报告中只有往年的情况："
                tail = f"（不是{asked}年的计划）"
            else:
                lead = f"报告未提及{asked}年{topic}实际的{noun}。报告中只有{shown}年的计划："
                tail = f"（不是{asked}年的实际情况）"
            return self._refused_beside(lead, tail, intent, decision)
        if reason is Reason.KIND_NOT_GIVEN and decision.context:
            lead = f"报告未提及{self._topic(intent)}的{self.words.kind_nouns[intent.kind]}。报告中相关的内容是："
            return self._refused_beside(lead, "（不含所问的内容）", intent, decision)
        return self._related(NOT_IN_REPORT, reason, passages)

    def _refused_beside(self, lead: str, tail: str, intent: Intent, decision: Decision) -> Draft:
        """A refusal that quotes what the report does give (another year's figure, the year's figure, the topic's
        sentence), each claim under its own year label, and says after it why that is not the answer."""
        claims = [self._claim(c, intent, decision) for c in decision.context]
        return self._assemble(lead, claims, refused=True, reason=decision.reason, partial=True, tail=tail)

    def _related(self, text: str, reason: Reason | None, passages: list[Passage]) -> Draft:
        related = tuple(passages[: self.policy.related_passages_shown])
        return Draft(f"{text}{RELATED}", related, tuple("" for _ in related), True, reason, False)

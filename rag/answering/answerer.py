"""The answer engine: a question runs through named stages, each a module with typed values in and out.

    understand (Intent) → retrieve (Passages) → select (Candidates) → decide (Decision) → compose (Draft) → verify

Trust rules, enforced on every answer:
- every number in an answer stands verbatim in a passage it cites (verify.py);
- results of the year under review and plans of the report's year are labelled as such, estimates as
  estimates, and a figure of the wrong year is called out;
- when the report does not answer, say "报告未提及" instead of guessing.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

from rag.answering.compose import Composer, Draft
from rag.answering.decide import CHINESE, Decider
from rag.answering.decision import Reason, refusal
from rag.answering.grounding import CITATION_MARK, ungrounded_numbers
from rag.answering.intent import Intent, Kind
from rag.answering.knowledge import Knowledge
from rag.answering.multipart import split_questions
from rag.answering.policy import DEFAULT_POLICY, AnswerPolicy
from rag.answering.ranking import shown_passages
from rag.answering.select import Candidate, Selector
from rag.answering.small_talk import reply
from rag.answering.understand import Understander
from rag.answering.verify import problems
from rag.answering.words import AnswerWords, load_words
from rag.questions import check_question
from rag.retrieval.query import Query
from rag.retrieval.retriever import Retriever
from rag.settings import Settings
from rag.types import Answer, Passage

log = logging.getLogger(__name__)
# A claim's year label as the composer writes it ("2022年（已完成）：").
YEAR_LABEL = re.compile(r"\d{4}年（[^）]{2,4}）：")
# One cited claim of a composed answer, up to its citation mark.
CLAIM = re.compile(r"[^。]*?\[\d+\]。")
# How many earlier user turns are read to understand a follow-up of a follow-up.
TURNS_READ = 3


class Answerer:
    """Answers a question from the passages its retriever finds: `Answerer(retriever).answer("…", history=[…])`."""

    def __init__(self, retriever: Retriever, policy: AnswerPolicy = DEFAULT_POLICY, words: AnswerWords | None = None):
        self.retriever = retriever
        self.policy = policy
        self.words = words or load_words()
        index = retriever.index
        self.facts = list(getattr(index, "facts", []))
        normalizer = getattr(retriever, "normalizer", None)  # the llama-index baseline has none: built here
        self.knowledge = Knowledge(index.chunks, self.facts, index.tokenizer, retriever.vocabulary, normalizer)
        self.understander = Understander(self.knowledge, self.words, policy)
        self.selector = Selector(self.knowledge, policy)
        self.decider = Decider(self.knowledge, policy)
        self.composer = Composer(self.knowledge, self.words, policy)

    def previous_intent(self, history: list[dict] | None) -> Intent | None:
        turns = [
            str(t["content"]).strip()
            for t in history or []
            if isinstance(t, dict) and t.get("role") == "user" and str(t.get("content", "")).strip()
        ][-TURNS_READ:]
        intent = None
        for turn in turns:
            for part in self._parts(turn):
                intent = self.understander.understand(part, intent)
        return intent

    def _parts(self, question: str) -> list[str]:
        text = self.knowledge.normalizer.normalize(question).text
        return split_questions(text, self.words, self.knowledge.segment)

    def answer(self, question: str, history: list[dict] | None = None) -> Answer:
        question = check_question(question)
        if not CHINESE.search(question):  # before the English word list makes Chinese of it
            return self.answer_intent(question, Intent(question, question))
        previous = self.previous_intent(history)
        shown = last_answer(history)
        answers = []
        parts = self._parts(question)
        for number, part in enumerate(parts):
            intent = self.understander.understand(part, previous)
            if number and intent.followup:
                # A later part with a topic of its own is a second question, not a follow-up of the first:
                # "历城区去年GDP多少？全国百强区排第几？" asks the rank of the district, not of its GDP.
                alone = self.understander.understand(part)
                if self.understander.names_own_topic(alone) and not self.understander.refers_back(alone):
                    intent = alone
            if number and previous and not intent.years and previous.years:  # "去年…？12345热线办了多少件？"
                intent = intent.with_(years=previous.years)
            if intent.followup and not number and shown:
                intent = intent.with_(previous_answer=shown)
            if number and self._counts_what_the_part_before_could_not_name(intent, previous, answers[-1]):
                intent = intent.with_(missing=(previous.measure,))
            answers.append(self.answer_intent(question, intent))
            previous = intent
        return merge_answers(question, answers, parts)

    def _counts_what_the_part_before_could_not_name(self, intent: Intent, previous: Intent, before: Answer) -> bool:
        """ "有啥奖补？能补多少？": the part before asked the report to name a thing it does not name; this part, naming
        nothing of its own in the same years, asks how much of it, so the report does not give that either. A
        confirmation ("…5000亩，是这样吗？") checks the part before rather than counting its thing."""
        return (
            intent.followup
            and intent.kind is not Kind.YES_NO
            and not self.understander.knows_topic(intent)
            and intent.years == previous.years
            and before.reason == Reason.KIND_NOT_GIVEN.value
            and previous.kind in (Kind.GENERAL, Kind.YES_NO)
            and bool(previous.measure)
        )

    def rank(self, question: str, history: list[dict] | None = None, k: int | None = None) -> list[Passage]:
        """The `k` passages best for a question (default: the `top_k` setting), re-ranked by its answer: the
        passages the answer cites come first. For developers who show passages beside their own text."""
        k = self.retriever.index.settings.top_k if k is None else k
        question = check_question(question, k)
        answer = self.answer(question, history)
        more = self.retriever.retrieve(question, k) if len(answer.retrieved) < k else ()
        return shown_passages(answer, k, more)

    def answer_intent(self, question: str, intent: Intent) -> Answer:
        if intent.small_talk:
            text = reply(intent.small_talk, self.facts, self.knowledge.years_covered)
            return Answer(question, text, [], False, None, [], [], Reason.GREETING.value, False)
        passages, candidates = self.gather(intent)
        decision = self.decider.decide(intent, candidates)
        if decision.refused and intent.level and not self.understander.states_level(intent.text):
            # A level was only presumed ("研发投入多少"): when no year gives one, the figure the report gives answers.
            intent = intent.with_(level=False)
            decision = self.decider.decide(intent, self.selector.candidates(intent, passages))
        draft = self.composer.compose(intent, decision, passages)
        found = problems(draft, self.knowledge)
        if found:  # cannot happen with verbatim quotes; if it ever does, refuse rather than mislead
            log.error("answer to %r withheld: %s", question, "; ".join(found))
            draft = self.composer.compose(intent, refusal(Reason.NOT_IN_REPORT), passages)
        return to_answer(question, intent, draft, passages)

    def gather(self, intent: Intent) -> tuple[list[Passage], list[Candidate]]:
        """Retrieve once, and score the best passages; each asked year without a fitting sentence among them gets
        its own best passages of the same ranking looked at too (one embedding per question)."""
        query = Query(intent.search_text, intent.year, ())  # search_text holds the expansions already
        ranked = self.retriever.retrieve_query(query, k=self.policy.passages_pool, surface_cues=False)
        passages = ranked[: self.policy.passages_read]
        candidates = self.selector.candidates(intent, passages)
        extra = []
        for year in intent.years:
            if year in self.knowledge.years_covered and not any(c.fits and c.year == year for c in candidates):
                extra += [p for p in ranked[len(passages) :] if p.year == year][: self.policy.year_passages]
        if extra:  # scored together, so that the question's key word is looked for in all of them
            best = max(p.score for p in passages)
            passages = passages + extra
            candidates = self.selector.candidates(intent, passages, best)
        return passages, candidates


def last_answer(history: list[dict] | None) -> str:
    """What the chat answered last, if the history ends with an answer."""
    turns = [t for t in history or [] if isinstance(t, dict) and t.get("role") in ("user", "assistant")]
    return str(turns[-1].get("content", "")) if turns and turns[-1].get("role") == "assistant" else ""


def to_answer(question: str, intent: Intent, draft: Draft, passages: list[Passage]) -> Answer:
    reason = draft.reason.value if draft.reason else None
    return Answer(
        question,
        draft.text,
        list(draft.citations),
        draft.refused,
        intent.year,
        passages,
        list(draft.highlights),
        reason,
        draft.partial,
    )


def without_said(text: str, said: str) -> str:
    """A part's answer without the quotes the parts before already gave (two parts answered by one sentence say it
    once), and without a year label left standing over nothing or repeating the one just above it."""
    for quote in CLAIM.findall(said):
        quote = YEAR_LABEL.sub("", quote)
        if len(quote) > len("[1]。"):
            text = text.replace(quote, "")
    # A quote the parts before gave within a longer one ("优良天数达到244天" after "…改善8%，优良天数达到244天，…").
    plain = CITATION_MARK.sub("", said)
    for quote in CLAIM.findall(text):
        bare = CITATION_MARK.sub("", YEAR_LABEL.sub("", quote)).rstrip("。")
        if len(bare) > 1 and bare in plain:
            text = text.replace(YEAR_LABEL.sub("", quote), "")
    text = re.sub(rf"(?:{YEAR_LABEL.pattern})+(?={YEAR_LABEL.pattern}|$)", "", text)
    labels = YEAR_LABEL.findall(said)
    if labels and text.startswith(labels[-1]):
        text = text[len(labels[-1]) :]
    return text


def merge_answers(question: str, answers: list[Answer], parts: list[str] | None = None) -> Answer:
    """One answer from the answers to each part, citations renumbered in order of first use; a part the report
    does not answer is named (`parts`: the question of each answer)."""
    if len(answers) == 1:
        return answers[0]
    given = [a for a in answers if not a.refused]
    if not given:
        return answers[0]
    citations: list[Passage] = []
    highlights: list[str] = []
    texts: list[str] = []
    for part in given:
        numbering = {}
        for n, (passage, highlight) in enumerate(zip(part.citations, part.highlights), start=1):
            ids = [p.chunk_id for p in citations]  # the same chunk retrieved for two parts carries two scores
            if passage.chunk_id not in ids:
                citations.append(passage)
                highlights.append(highlight)
                ids.append(passage.chunk_id)
            numbering[n] = ids.index(passage.chunk_id) + 1
        text = CITATION_MARK.sub(lambda m, numbering=numbering: f"[{numbering[int(m.group(0)[1:-1])]}]", part.text)
        text = without_said(text, "".join(texts))
        if text:
            texts.append(text)
    partial = len(given) < len(answers) or any(a.partial for a in given)
    missing = [part for part, a in zip(parts or [], answers) if a.refused]
    named = "".join(f"关于“{part.rstrip('？?。')}”，报告未提及。" for part in missing)
    # A part is named in the citizen's words; a figure in them that no cited passage holds ("抚育森林5000亩") would
    # stand in the answer as if the report said it, so such a part is not repeated.
    if missing and not ungrounded_numbers(named, [p.text for p in citations]):
        texts.append(named)
    elif len(given) < len(answers):
        texts.append("其余部分报告未提及。")
    retrieved = [p for a in answers for p in a.retrieved]
    reason = next((a.reason for a in answers if a.reason), None)
    return Answer(question, "".join(texts), citations, False, given[0].year, retrieved, highlights, reason, partial)


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _answerer_for(settings: Settings) -> Answerer:
    return Answerer(Retriever.load(settings))


def default_answerer(settings: Settings | None = None) -> Answerer:
    """One Answerer per settings per process: the index and model load once."""
    with _lock:
        return _answerer_for(settings or Settings.from_env())

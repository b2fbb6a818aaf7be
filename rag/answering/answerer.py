"""Grounded answers without a generative model: quote the report's own clauses, label their year, cite them.

Trust rules, enforced here on every answer:
- every number in an answer stands verbatim in a passage it cites (`ungrounded_numbers`);
- 2022 results and 2023 plans are labelled as such and never merged into one claim;
- when the report does not answer, say "报告未提及" instead of guessing.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.sections import split_sentences
from rag.answering.followup import resolve_followup, split_compound
from rag.answering.grounding import CITATION_MARK, NUMBER, ungrounded_numbers
from rag.answering.kinds import ASKS_WHEN, LISTING, QUANTITY, clause_fits, clauses_of, figures_in_question
from rag.questions import check_question
from rag.retrieval.query import Query, asked_years
from rag.retrieval.retriever import Retriever
from rag.settings import Settings
from rag.types import Answer, Passage

log = logging.getLogger(__name__)

PASSAGES_READ = 6
NOT_IN_REPORT = "报告未提及这一内容。"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Words any question may carry that say nothing about its topic: their absence from the report
# must not count as "the report does not cover this".
GENERIC_WORDS = frozenset(
    "名字 称号 牌子 消息 好消息 办法 地方 荣誉 头衔 进度 问题 东西 事情 内容 重点 特点 亮点 方向 部分 "
    "情况 方面 工作 一共 总共 现在 目前 具体 数字 数据 相关 主要 哪里 哪儿 怎样 多大 多长 为什么 "
    "最新 今后 未来 进展 成果 效果 成绩 计划 目标 打算 准备 要求 达到 实现 完成 新增 新建 增加 增长 提高 "
    "多少钱 多少个 几个 几家 几所 几处 几条 市民 老百姓 群众 大家 政府 报告 区里 我们 咱们 有关 关于 "
    "方面 领域 怎么 什么样 如何 是不是 能不能 可以 已经 一下 一些 还有 那么 以及 上面 里面 提到 说 讲 "
    "规划 建设 发展 推进 政策 措施 项目 多久 时候 什么时候 啥 咋 为啥 呗".split()
)


def year_label(year: int, report_year: int) -> str:
    return f"{year}年（已完成）" if year < report_year else f"{year}年（计划）"


def merge_answers(question: str, answers: list[Answer]) -> Answer:
    """One answer from the answers to each part, citations renumbered in order of first use."""
    if len(answers) == 1:
        return answers[0]
    given = [a for a in answers if not a.refused]
    if not given:
        return answers[0]
    citations: list[Passage] = []
    highlights: list[str] = []
    texts = []
    for part in given:
        numbering = {}
        for n, (passage, highlight) in enumerate(zip(part.citations, part.highlights), start=1):
            if passage not in citations:
                citations.append(passage)
                highlights.append(highlight)
            numbering[n] = citations.index(passage) + 1
        texts.append(CITATION_MARK.sub(lambda m, numbering=numbering: f"[{numbering[int(m.group(0)[1:-1])]}]", part.text))
    if len(given) < len(answers):
        texts.append("其余部分报告未提及。")
    retrieved = [p for a in answers for p in a.retrieved]
    return Answer(question, "".join(texts), citations, False, given[0].year, retrieved, highlights)


# Items of a list in the report are separated by 、 or stand in parallel clauses ("以…为…区").
ENUMERATION = re.compile(r"[^、，]+、[^、，]+、|(?:以[^，]+为[^，]+，){2}")


def following_sentences(chunks) -> dict[str, Candidate]:
    """Each sentence → the next sentence of the same section and paragraph, with its chunk as a Passage."""
    following: dict[str, Candidate] = {}
    previous: tuple[str, str] | None = None  # (sentence, section + paragraph)
    for chunk in chunks:
        place = chunk.section + chunk.context
        passage = Passage(chunk.chunk_id, chunk.text, chunk.context, chunk.section, chunk.page, chunk.year, 0.0, chunk.doc_id)
        for sentence in split_sentences(chunk.text):
            if previous and previous[1] == place:
                following.setdefault(previous[0], Candidate(sentence, passage, 0.0, 0.0))
            previous = (sentence, place)
    return following


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage, scored as an answer to the question."""

    sentence: str
    passage: Passage
    coverage: float  # share of the question's term weight found in the sentence
    score: float


class Answerer:
    """Answers a question from the passages its retriever finds: `Answerer(retriever).answer("…")`.

    `refusal_threshold`: the least share of the question's term weight (IDF) the best sentence must
    cover before the question counts as answered at all; below it, "报告未提及".
    """

    def __init__(self, retriever: Retriever, refusal_threshold: float = 0.2):
        self.retriever = retriever
        self.refusal_threshold = refusal_threshold
        index = retriever.index
        self.report_year = index.report_year
        self.report_years = {c.year for c in index.chunks}
        self.report_text = "".join(c.text for c in index.chunks).lower()  # tokens come lower-cased
        self._tokenizer = index.tokenizer
        self._tokenize = index.tokenizer.tokenize
        document_frequency = Counter(t for c in index.chunks for t in set(self._tokenize(c.text)))
        self._idf = {t: math.log((len(index.chunks) + 1) / (df + 0.5)) for t, df in document_frequency.items()}
        self._following = following_sentences(index.chunks)

    # --- understanding ------------------------------------------------------------------

    def _weights(self, query: Query) -> dict[str, float]:
        """Each search token of the question with its IDF weight (tokens the report lacks weigh nothing)."""
        tokens = set(self._tokenize(query.search_text))
        return {t: self._idf[t] for t in tokens if t in self._idf}

    def _missing_topic_words(self, query: Query) -> list[str]:
        """Nouns of the question that appear nowhere in the report, even through the synonym list.

        "历城区有多少人口": the report never speaks of 人口, so whatever it retrieves is not the answer.
        """
        vocabulary = self.retriever.vocabulary
        covered = set(query.official_terms)
        everyday = {w for g in vocabulary.terms if covered & set(g.official) for w in g.everyday}
        missing = []
        for word, tag in self._tokenizer.tag(query.question):
            word = word.lower()
            is_topic = tag.startswith("n") or tag == "eng"  # nouns, and Latin words such as brand names
            if not is_topic or len(word) < 2 or word in GENERIC_WORDS or word in vocabulary.relative_years:
                continue
            # jieba glues unknown neighbours into new "words" ("花了多少钱建的" → "钱建"); only a word its
            # dictionary knows is evidence of a topic the report lacks.
            if tag != "eng" and not self._tokenizer.knows(word):
                continue
            if word not in self.report_text and word not in everyday:
                missing.append(word)
        return missing

    # --- choosing what to quote ---------------------------------------------------------

    def _candidates(self, query: Query, passages: list[Passage], scored_against: list[Passage] | None = None) -> list[Candidate]:
        weights = self._weights(query)
        total = sum(weights.values()) or 1.0
        wants_number = bool(QUANTITY.search(query.question))
        best_passage = max((p.score for p in scored_against or passages), default=1.0) or 1.0
        candidates = []
        for passage in passages:
            for sentence in split_sentences(passage.text):
                tokens = set(self._tokenize(sentence))
                coverage = sum(w for t, w in weights.items() if t in tokens) / total
                score = 0.45 * passage.score / best_passage + 0.55 * coverage
                if wants_number and NUMBER.search(sentence):
                    score += 0.1
                candidates.append(Candidate(sentence, passage, coverage, score))
        return sorted(candidates, key=lambda c: -c.score)

    def _quote(self, candidate: Candidate, query: Query, key: str, listing: bool) -> str:
        """The sentence, or for a long one the clauses that carry the answer."""
        sentence = candidate.sentence.rstrip("。；：")
        clauses = clauses_of(sentence)
        if listing or len(sentence) <= 60 or len(clauses) <= 2:
            return sentence
        weights = self._weights(query)
        related = self._related_terms(key) if key else set()
        achieved = candidate.passage.year < self.report_year

        def clause_score(clause: str) -> float:
            tokens = set(self._tokenize(clause))
            lowered = clause.lower()
            return (
                sum(w for t, w in weights.items() if t in tokens)
                + (2.0 if any(t in lowered for t in related) else 0.0)
                + (1.0 if clause_fits(query.question, clause, achieved, []) and NUMBER.search(clause) else 0.0)
            )

        wants_number = bool(QUANTITY.search(query.question))
        eligible = [i for i, c in enumerate(clauses) if not wants_number or NUMBER.search(c)] or list(range(len(clauses)))
        best = max(eligible, key=lambda i: clause_score(clauses[i]))
        # The clause before often names the subject the figure belongs to ("市场主体增长3.4%、总量达到21.7万户").
        start = best - 1 if best > 0 and clause_score(clauses[best - 1]) > 0 else best
        return "".join(clauses[start : best + 1]).rstrip("，；")

    def _key_term(self, query: Query, candidate: Candidate) -> str:
        """The most specific word of the question that the best sentence contains: what the question is about.

        The citizen's own words come first; the report's terms added by the synonym list only if none match.
        Returned as the sentence spells it ("5G", not the token "5g").
        """
        weights = self._weights(query)
        sentence = candidate.sentence.lower()
        own = set(self._tokenize(query.question))
        present = [t for t in weights if t in sentence and not NUMBER.search(t) and t not in GENERIC_WORDS]
        if not present:
            return ""
        key = max(present, key=lambda t: (t in own, weights[t], len(t)))
        start = sentence.index(key)
        return candidate.sentence[start : start + len(key)]

    def _related_terms(self, key: str) -> set[str]:
        """The key and the report's terms for it, from the synonym list ("学位" → 中小学, 幼儿园, 学位)."""
        lowered = key.lower()
        related = {lowered}
        for group in self.retriever.vocabulary.terms:
            if any(lowered == w.lower() for w in group.everyday + group.official):
                related.update(w.lower() for w in group.official)
        return related

    # --- composing ------------------------------------------------------------------------

    def answer(self, question: str, history: list[dict] | None = None) -> Answer:
        question = check_question(question)
        resolved = resolve_followup(question, history, self.report_year, self.retriever.vocabulary)
        parts = split_compound(resolved)
        answers = [self._answer_one(question, parts[0])]
        for earlier, part in zip(parts, parts[1:]):
            # "历城二中去年有什么成绩，今年有什么安排？": the second part leans on the first, like a follow-up.
            completed = resolve_followup(
                part, [{"role": "user", "content": earlier}], self.report_year, self.retriever.vocabulary
            )
            answers.append(self._answer_one(question, completed))
        return merge_answers(question, answers)

    def _answer_one(self, question: str, resolved: str) -> Answer:
        vocabulary = self.retriever.vocabulary
        query = self.retriever.understand(resolved)
        passages = self.retriever.retrieve_query(query, k=PASSAGES_READ)
        if not CHINESE.search(resolved):
            # Retrieval is multilingual, but answers quote the Chinese report: say so rather than guess.
            return self._refuse(
                question,
                query,
                passages,
                "本报告为中文，请用中文提问（The report is in Chinese: please ask in Chinese）。",
                lead="",
            )
        named_years = sorted({year for year, _ in asked_years(resolved, self.report_year, vocabulary)})
        outside = [y for y in named_years if y not in self.report_years]
        if outside:
            return self._refuse(
                question,
                query,
                passages,
                f"报告只涉及{self._years_covered()}，没有{'、'.join(f'{y}年' for y in outside)}的内容。",
            )
        candidates = self._candidates(query, passages)
        if self._missing_topic_words(query) or not candidates or candidates[0].coverage < self.refusal_threshold:
            return self._refuse(question, query, passages)
        key = self._key_term(query, candidates[0])
        # Each year the question is about must be looked up in that year's passages, not only in the best overall.
        for year in named_years or ([query.year] if query.year else []):
            if not any(c.passage.year == year and self._about(c, key) and self._fits(c, query, key) for c in candidates):
                extra = [p for p in self.retriever.retrieve_query(query, k=3, only_year=year) if p not in passages]
                passages = passages + extra
                candidates = sorted(candidates + self._candidates(query, extra, passages), key=lambda c: -c.score)
        return self._compose(question, query, candidates, passages, key, named_years)

    def _topic_clauses(self, candidate: Candidate, key: str) -> list[str]:
        """The clauses of the sentence that speak about the key (or all, when its section heading does)."""
        related = self._related_terms(key) if key else set()
        clauses = clauses_of(candidate.sentence)
        if not related or any(t in candidate.passage.section.lower() for t in related):
            return clauses
        return [c for c in clauses if any(t in c.lower() for t in related)]

    def _fits(self, candidate: Candidate, query: Query, key: str) -> bool:
        """The sentence has the kind of figure asked for, in a clause about the question's topic."""
        achieved = candidate.passage.year < self.report_year
        events = [w for w in self._tokenize(query.question) if len(w) >= 2 and w not in GENERIC_WORDS and not ASKS_WHEN.search(w)]
        return any(clause_fits(query.question, c, achieved, events) for c in self._topic_clauses(candidate, key))

    def _about(self, candidate: Candidate, key: str) -> bool:
        return not key or any(t in candidate.sentence.lower() for t in self._related_terms(key))

    def _years_covered(self) -> str:
        return "和".join(f"{year}年" for year in sorted(self.report_years))

    def _compose(self, question, query, candidates, passages, key, named_years) -> Answer:
        listing = bool(LISTING.search(query.question))
        fitting = [c for c in candidates if self._fits(c, query, key)]
        if not fitting:
            return self._refuse(question, query, passages, "报告中没有这一数字或时间。")
        best = fitting[0]
        chosen: list[Candidate] = []
        note = ""
        about_key = lambda c: self._about(c, key)  # noqa: E731
        if len(named_years) > 1:
            # "今年的目标跟去年一样吗？": the best sentence of each year named, side by side.
            for year in named_years:
                pick = next((c for c in fitting if c.passage.year == year and about_key(c)), None)
                if pick:
                    chosen.append(pick)
            chosen = chosen or [best]
        elif query.year is None:
            chosen.append(best)
            # The same topic in the other year is worth showing, labelled, when it is nearly as good.
            other = next((c for c in fitting if c.passage.year != best.passage.year), None)
            if other and key and key.lower() in other.sentence.lower() and other.score >= 0.8 * best.score:
                chosen.append(other)
        else:
            in_year = next((c for c in fitting if c.passage.year == query.year), None)
            topical = next((c for c in candidates if c.passage.year == query.year), None)
            if in_year and (in_year is best or key.lower() in in_year.sentence.lower() or in_year.score >= 0.9 * best.score):
                chosen.append(in_year)
            elif not QUANTITY.search(query.question) and topical and topical.coverage >= self.refusal_threshold:
                chosen.append(topical)
            else:
                # The report has this figure only for another year: say so, and show both, labelled.
                note = f"报告未提及{query.year}年{key or '这一项'}的具体数字。"
                if topical and about_key(topical):
                    chosen.append(topical)
                chosen.append(best)
        # A figure the citizen quotes ("今年是6.5万户吗？") is checked where it stands, even in another year.
        for with_unit, bare in figures_in_question(query.question):
            if any(bare in c.sentence for c in chosen):
                continue
            holder = next((c for c in candidates if bare in c.sentence and about_key(c)), None)
            if holder:
                chosen.append(holder)
                if query.year and holder.passage.year != query.year:
                    figure = with_unit if with_unit in holder.sentence else bare
                    note = f"{figure}是{holder.passage.year}年的数字，不是{query.year}年的。"
        if listing or len(chosen) == 1:
            # A list or a second fact often continues in the next-best sentence of the same year.
            extra = next(
                (
                    c
                    for c in fitting[1:]
                    if c not in chosen and c.passage.year == chosen[0].passage.year and c.score >= 0.85 * chosen[0].score
                ),
                None,
            )
            if extra:
                chosen.append(extra)
        if listing and not any(ENUMERATION.search(c) for c in self._topic_clauses(chosen[0], key)):
            # "一院多区是哪几个区？": the sentence that names the list is followed by the one that spells it out.
            following = self._following.get(chosen[0].sentence)
            if following and ENUMERATION.search(following.sentence) and following.sentence not in {c.sentence for c in chosen}:
                chosen.insert(1, following)
        return self._assemble(question, query, chosen, passages, note, listing, key)

    def _assemble(self, question, query, chosen, passages, note, listing, key) -> Answer:
        citations: list[Passage] = []
        highlights: list[str] = []
        parts: list[str] = [note] if note else []
        last_year = None
        for candidate in chosen:
            quote = self._quote(candidate, query, key, listing)
            if candidate.passage not in citations:
                citations.append(candidate.passage)
                highlights.append(quote)
            else:
                position = citations.index(candidate.passage)
                highlights[position] = highlights[position] + "｜" + quote
            number = citations.index(candidate.passage) + 1
            label = year_label(candidate.passage.year, self.report_year)
            prefix = f"{label}：" if candidate.passage.year != last_year else ""
            last_year = candidate.passage.year
            parts.append(f"{prefix}{quote}[{number}]。")
        text = "".join(parts)
        loose = ungrounded_numbers(text, [p.text for p in citations])
        if loose:  # cannot happen with verbatim quotes; if it ever does, refuse rather than mislead
            log.error("ungrounded numbers %s in answer to %r", loose, question)
            return self._refuse(question, query, passages)
        return Answer(question, text, citations, False, query.year, passages, highlights)

    def _refuse(
        self, question: str, query: Query, passages: list[Passage], reason: str = "", lead: str = NOT_IN_REPORT
    ) -> Answer:
        text = f"{lead}{reason}以下是报告中最接近的段落，供参考（不含答案）。"
        related = passages[:2]
        return Answer(question, text, related, True, query.year, passages, ["" for _ in related])


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _answerer_for(settings: Settings) -> Answerer:
    return Answerer(Retriever.load(settings))


def default_answerer(settings: Settings | None = None) -> Answerer:
    """One Answerer per settings per process: the index and model load once."""
    with _lock:
        return _answerer_for(settings or Settings.from_env())

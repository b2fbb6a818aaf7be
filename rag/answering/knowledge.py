"""What the engine knows about the indexed reports before any question: their sentences with the typed facts
each holds, the years each document covers, word weights, and the outline of sections.

Built once per Answerer from the Index (chunks and facts come from the same ingest, so they agree).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.chunk import SECTION_SEPARATOR, Chunk
from ingest.facts import Fact, is_non_answer
from ingest.sections import split_sentences
from rag.text.normalize import Normalizer, report_normalizer
from rag.text.tokenize import ChineseTokenizer
from rag.text.vocabulary import Vocabulary
from rag.types import Passage

# Questions, their parts and their words whose tokens and tags are kept: a chat's recent turns come back.
CACHED_TEXTS = 4096
# The aspect particle: a word the segmenter keeps with it ("建了", "搞了个") is something done, not a thing.
DONE = "了"
# A Latin abbreviation as the question normalised it ("gdp", "r&d").
LATIN = re.compile(r"[a-z][a-z0-9&]*")


@dataclass(eq=False)
class ReportSentence:
    """One sentence of one chunk, with the facts read from it."""

    text: str
    chunk: Chunk
    facts: tuple[Fact, ...]
    non_answer: bool  # a heading, lead-in, title block or ceremony: never the answer by itself
    position: int  # reading order across the report
    following: ReportSentence | None = field(default=None, compare=False)


class Knowledge:
    def __init__(
        self,
        chunks: Sequence[Chunk],
        facts: Sequence[Fact],
        tokenizer: ChineseTokenizer,
        vocabulary: Vocabulary,
        normalizer: Normalizer | None = None,
    ):
        self.chunks = sorted(chunks, key=lambda c: (c.doc_id, c.order))
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        # Pure functions of their text, read by several stages for the same question.
        self._tokenize = lru_cache(maxsize=CACHED_TEXTS)(lambda text: tuple(tokenizer.tokenize(text)))
        self._tag = lru_cache(maxsize=CACHED_TEXTS)(lambda text: tuple(tokenizer.tag(text)))
        self._terms_for = lru_cache(maxsize=CACHED_TEXTS)(lambda text: tuple(vocabulary.official_terms_for(text)))
        self.report_year = max((c.year for c in chunks), default=0)
        self.doc_years: dict[str, int] = {}
        for chunk in self.chunks:
            self.doc_years[chunk.doc_id] = max(self.doc_years.get(chunk.doc_id, 0), chunk.year)
        self.years_covered = sorted({c.year for c in chunks})
        raw_text = "".join(c.text for c in self.chunks)
        self.report_text = raw_text.lower()  # tokens come lower-cased
        tokens_of = {c.chunk_id: self.tokenize(c.text) for c in self.chunks}
        frequency = Counter(t for tokens in tokens_of.values() for t in set(tokens))
        self.idf = {t: math.log((len(self.chunks) + 1) / (df + 0.5)) for t, df in frequency.items()}
        self._phrase_idf: dict[str, float] = {}
        self._abbreviations = self._abbreviations_written()
        self.sentences = self._sentences(facts)
        self.normalizer = normalizer or report_normalizer(
            (c.text for c in self.chunks), tokenizer, protected=list(vocabulary.relative_years)
        )

    def uses(self, word: str) -> bool:
        """Does the report use the word (lower-cased), as a search token or inside its text?"""
        return self.weight(word) > 0

    def weight(self, word: str) -> float:
        """IDF of a word: a search token's own, or for a name made of several ("残疾人之家"), from the chunks holding it."""
        if word in self.idf:
            return self.idf[word]
        if word not in self._phrase_idf:
            holding = sum(word in c.text.lower() for c in self.chunks)
            self._phrase_idf[word] = math.log((len(self.chunks) + 1) / (holding + 0.5)) if holding else 0.0
        return self._phrase_idf[word]

    def tokenize(self, text: str) -> tuple[str, ...]:
        return self._tokenize(text)

    def tag(self, text: str) -> tuple[tuple[str, str], ...]:
        """(word, part of speech) pairs; several stages read the same question, so it is tagged once."""
        return self._tag(text)

    def segment(self, text: str) -> list[str]:
        return [word for word, _ in self._tag(text)]

    def names(self, text: str, phrase: str) -> bool:
        """Does the text name the phrase or a word of it ("农业龙头企业": 龙头企业), itself or by the report's term?"""
        text = text.lower()
        words = [phrase, *(t for t in self.tokenize(phrase) if len(t) >= 2)]
        return any(w.lower() in text for w in words) or any(term.lower() in text for term in self.terms_for(phrase))

    def terms_for(self, text: str) -> tuple[str, ...]:
        """The report's terms for the everyday words in `text` (data/synonyms.toml)."""
        return self._terms_for(text)

    def abbreviations_in_report(self, word: str) -> frozenset[str]:
        """The Latin abbreviations of the same report term that the report itself writes: "经济总量" means
        地区生产总值, which the report calls GDP inside a share ("占GDP比重")."""
        return self._abbreviations.get(word, frozenset())

    def _abbreviations_written(self) -> dict[str, frozenset[str]]:
        """Once, at start: for each everyday word, the other everyday words of its groups that are Latin and written
        in the report (read for every topic word of every question)."""
        found: dict[str, frozenset[str]] = {}
        for group in self.vocabulary.terms:
            everyday = [w.lower() for w in group.everyday]
            written = {w for w in everyday if LATIN.fullmatch(w) and self.uses(w)}
            for word in everyday:
                if written - {word}:
                    found[word] = found.get(word, frozenset()) | (written - {word})
        return found

    def report_name(self, word: str) -> str:
        """A Latin abbreviation as the report's own name for it ("gdp" → 地区生产总值): the report names an
        indicator in Chinese and uses the abbreviation only inside other measures ("占GDP的比重"), which a
        question asking for a share ("研发投入占GDP比重") keeps as typed."""
        if not LATIN.fullmatch(word):
            return word
        names = {
            official.lower()
            for group in self.vocabulary.terms
            if word in (w.lower() for w in group.everyday) and len(group.official) == 1
            for official in group.official
        }
        return names.pop() if len(names) == 1 else word

    def _sentences(self, facts: Sequence[Fact]) -> dict[str, list[ReportSentence]]:
        by_source: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        for fact in facts:
            by_source[(fact.chunk_id, fact.source)].append(fact)
        sentences: dict[str, list[ReportSentence]] = {}
        built: list[ReportSentence] = []
        for chunk in self.chunks:
            sentences[chunk.chunk_id] = []
            for text in split_sentences(chunk.text):
                sentence = ReportSentence(
                    text, chunk, tuple(by_source.get((chunk.chunk_id, text), ())), is_non_answer(text, chunk.section), len(built)
                )
                sentences[chunk.chunk_id].append(sentence)
                built.append(sentence)
        for earlier, later in zip(built, built[1:]):
            if earlier.chunk.section == later.chunk.section and earlier.chunk.context == later.chunk.context:
                earlier.following = later
        self.all_sentences = built
        return sentences

    def sentences_of(self, passage: Passage) -> list[ReportSentence]:
        """The sentences of a retrieved passage; a passage of another chunking (the llama-index baseline) is
        split on the spot, with no facts and no neighbours."""
        known = self.sentences.get(passage.chunk_id)
        if known is not None:
            return known
        p = passage
        chunk = Chunk(p.chunk_id, p.doc_id, p.text, p.context, p.section, p.page, p.year, order=-1)
        return [ReportSentence(text, chunk, (), is_non_answer(text, p.section), -1) for text in split_sentences(p.text)]

    def passage_of(self, sentence: ReportSentence) -> Passage:
        """The chunk a sentence stands in, as a citable Passage (for sentences read beyond the retrieved ones)."""
        c = sentence.chunk
        return Passage(c.chunk_id, c.text, c.context, c.section, c.page, c.year, 0.0, c.doc_id)

    def label_year(self, chunk_year: int, doc_id: str) -> str:
        """ "2022年（已完成）" for the year a report reviews, "2023年（计划）" for the year it plans."""
        done = chunk_year < self.doc_years.get(doc_id, self.report_year)
        return f"{chunk_year}年（{'已完成' if done else '计划'}）"

    def children_of(self, section_prefix: str, after: int = -1) -> list[str]:
        """Names of the sections one level under `section_prefix`, in reading order (from sentence `after` on)."""
        depth = len(section_prefix.split(SECTION_SEPARATOR)) if section_prefix else 0
        names: list[str] = []
        for sentence in self.all_sentences[after + 1 :]:
            path = sentence.chunk.section.split(SECTION_SEPARATOR)
            if SECTION_SEPARATOR.join(path[:depth]) != section_prefix:
                if names:
                    break
                continue
            if len(path) > depth and path[depth] not in names:
                names.append(path[depth])
        return names

    def _head(self, word: str) -> str:
        """The word's head: Chinese compounds end in it ("新开工" → 开工, "区委书记" → 书记)."""
        parts = [t for t in self.tokenize(word) if t != word and len(t) >= 2 and word.endswith(t)]
        return max(parts, key=len) if parts else word

    def missing_words(self, text: str, generic: frozenset[str]) -> list[str]:
        """Nouns of the question found nowhere in the report, even through the synonym list.

        "历城区有多少人口": the report never speaks of 人口, so whatever it retrieves is not the answer.

        An English word the word list does not translate counts only in a question with no Chinese topic word:
        beside Chinese ones it is mostly a gloss or an aside ("保障性租赁住房（affordable rental housing）",
        "比如image sensor那种"), not a topic of its own that the report lacks. So is a noun that only describes
        one the report uses ("做买卖的市场主体": the 市场主体 are asked about, in everyday words).
        """
        covered = set(self.terms_for(text))
        everyday = {w.lower() for g in self.vocabulary.terms if covered & set(g.official) for w in g.everyday}
        missing, english, chinese_topics = [], [], 0
        tagged = self.tag(text)
        for at, (word, tag) in enumerate(tagged):
            word = word.lower()
            is_topic = (tag.startswith("n") or tag == "eng") and DONE not in word  # "搞了个" is tagged a noun
            if not is_topic or len(word) < 2 or word in generic or word in self.vocabulary.relative_years:
                continue
            described = [w for w, t in tagged[at + 1 : at + 3]]
            if len(described) == 2 and described[0] == "的" and described[1] not in generic and len(described[1]) >= 2:
                if described[1].lower() in self.report_text:
                    continue
            # jieba glues unknown neighbours into new "words" ("花了多少钱建的" → "钱建"); only a word its
            # dictionary knows is evidence of a topic the report lacks.
            if tag != "eng" and not self.tokenizer.knows(word):
                continue
            chinese_topics += tag != "eng"
            if word not in self.report_text and word not in everyday and self._head(word) not in self.report_text:
                (english if tag == "eng" else missing).append(word)
        return missing if chinese_topics else missing + english

"""Chinese tokens for BM25: jieba words, with figures such as "1.7万" or "48.6%" kept whole, and character bigrams."""

from __future__ import annotations

import hashlib
import re
import threading
import tomllib
from functools import cache

import jieba

from rag.resources import data_file
from rag.text.vocabulary import Vocabulary

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr on every start

# A figure with its magnitude: "1.7万", "48.6%", "1265", "5G". jieba alone would give "1.7" + "万个".
FIGURE = re.compile(r"\d*[A-Za-z][A-Za-z0-9&+]*|\d+(?:\.\d+)?(?:万|亿|%|‰)?")
STOPWORDS_FILE = "words/search_stopwords.toml"
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Marks a bigram apart from a jieba word of the same two characters, and names the scheme in the signature.
BIGRAM_MARK = "·"


@cache
def stopwords() -> frozenset[str]:
    """Every class of data/words/search_stopwords.toml in one set."""
    with open(data_file(STOPWORDS_FILE), "rb") as file:
        return frozenset(word for group in tomllib.load(file).values() for word in group["words"])


def _is_token(word: str) -> bool:
    return bool(word.strip()) and word not in stopwords() and not re.fullmatch(r"[\W_]+", word)


class ChineseTokenizer:
    """Words for keyword search, the same for passages and questions."""

    def __init__(self, vocabulary: Vocabulary):
        words = sorted(vocabulary.words())
        # Names how this tokenizer splits text: a saved keyword index built with other words is rebuilt.
        self.signature = hashlib.sha1(
            "\n".join([jieba.__version__, *words, "\x1e", *sorted(stopwords()), BIGRAM_MARK]).encode()
        ).hexdigest()
        self._jieba = jieba.Tokenizer()
        # Loaded now rather than lazily: jieba's first load is not thread-safe, and the server is threaded.
        self._jieba.initialize()
        for word in words:
            if not FIGURE.fullmatch(word):
                self._jieba.add_word(word, freq=2000, tag="n")
        self._tagger = None
        self._tagger_lock = threading.Lock()

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs, e.g. ("人口", "n"), ("GDP", "eng")."""
        return [(pair.word, pair.flag) for pair in self._part_of_speech_tagger().cut(text)]

    def _part_of_speech_tagger(self):
        # Tags over the same dictionary, for telling a question's topic nouns apart. Built on first use:
        # reading the tags costs ~1.5 s of a cold start, and retrieval alone never needs them.
        with self._tagger_lock:
            if self._tagger is None:
                import jieba.posseg

                self._tagger = jieba.posseg.POSTokenizer(self._jieba)
            return self._tagger

    def knows(self, word: str) -> bool:
        """Is `word` in the dictionary, rather than glued together by jieba from unknown characters?"""
        return bool(self._jieba.FREQ.get(word))

    def tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        position = 0
        for match in FIGURE.finditer(text):
            tokens += self._words(text[position : match.start()])
            tokens.append(match.group(0).lower())
            position = match.end()
        tokens += self._words(text[position:])
        return tokens

    def search_terms(self, text: str) -> list[str]:
        """What keyword search indexes and looks up: the words, and every two adjacent Chinese characters.

        jieba splits a citizen's sentence its own way ("黄河流经历城" → 黄 / 河流 / 经历 / 城) and then shares no
        word with the report's "黄河历城段"; the bigrams (黄河, 历城) still meet. Measured over 3,406 development
        items: first-stage hit@1 0.894 → 0.902 (50 fixed, 22 broken); counting the bigrams twice or three times did
        no better.
        """
        return self.tokenize(text) + character_bigrams(text)

    def _words(self, text: str) -> list[str]:
        if not text:
            return []
        # Search mode also yields the parts of long words ("高新技术企业" → "高新", "技术", …),
        # so a question that names only part of an official term still meets it.
        return [w for w in self._jieba.cut_for_search(text) if _is_token(w)]


def character_bigrams(text: str) -> list[str]:
    """Every two adjacent Chinese characters, marked apart from words: "新增学位" → ·新增, ·增学, ·学位."""
    return [BIGRAM_MARK + run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)]

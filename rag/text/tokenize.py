"""Chinese tokens for BM25: jieba words, with figures such as "1.7万" or "48.6%" kept whole."""

from __future__ import annotations

import re

import jieba
import jieba.posseg

from rag.text.vocabulary import Vocabulary

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr on every start

# A figure with its magnitude: "1.7万", "48.6%", "1265", "5G". jieba alone would give "1.7" + "万个".
FIGURE = re.compile(r"\d*[A-Za-z][A-Za-z0-9&+]*|\d+(?:\.\d+)?(?:万|亿|%|‰)?")
STOPWORDS = frozenset(
    "的 了 是 在 有 和 与 及 等 也 都 就 还 又 把 被 对 为 以 将 于 其 之 这 那 哪 吗 呢 吧 啊 呀 么 "
    "多少 几 几个 哪些 什么 怎么 怎么样 如何 是否 有没有 没有 请问 一下 告诉 我 我们 你 你们 "
    "历城 历城区 年 个 项 家 处".split()
)


def _is_token(word: str) -> bool:
    return bool(word.strip()) and word not in STOPWORDS and not re.fullmatch(r"[\W_]+", word)


class ChineseTokenizer:
    """Words for keyword search, the same for passages and questions."""

    def __init__(self, vocabulary: Vocabulary):
        self._jieba = jieba.Tokenizer()
        # Loaded now rather than lazily: jieba's first load is not thread-safe, and the server is threaded.
        self._jieba.initialize()
        for word in vocabulary.words():
            if not FIGURE.fullmatch(word):
                self._jieba.add_word(word, freq=2000, tag="n")
        # Part-of-speech tags over the same dictionary, for telling a question's topic nouns apart.
        self._tagger = jieba.posseg.POSTokenizer(self._jieba)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs, e.g. ("人口", "n"), ("GDP", "eng")."""
        return [(pair.word, pair.flag) for pair in self._tagger.cut(text)]

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

    def _words(self, text: str) -> list[str]:
        if not text:
            return []
        # Search mode also yields the parts of long words ("高新技术企业" → "高新", "技术", …),
        # so a question that names only part of an official term still meets it.
        return [w for w in self._jieba.cut_for_search(text) if _is_token(w)]

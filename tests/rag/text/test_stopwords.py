"""data/words/search_stopwords.toml: each class of word that keyword search drops, and why it may."""

from __future__ import annotations

import tomllib

from rag.resources import data_file
from rag.text.tokenize import STOPWORDS_FILE, stopwords

CLASSES = tomllib.loads(data_file(STOPWORDS_FILE).read_text(encoding="utf-8"))


def test_every_class_has_words_and_all_of_them_are_dropped():
    assert set(CLASSES) == {"function_words", "question_words", "everywhere_words"}
    for name, group in CLASSES.items():
        assert group["words"], name
        assert set(group["words"]) <= stopwords(), name


def test_question_words_never_reach_the_index(tokenizer):
    tokens = tokenizer.tokenize("请问历城区去年新增了多少学位")
    assert "学位" in tokens and "新增" in tokens
    assert not {"请问", "多少", "历城区"} & set(tokens)


def test_a_stopword_inside_a_longer_word_is_kept(tokenizer):
    # "有" is a function word, "有效投资" is a topic: only whole tokens are dropped.
    tokens = tokenizer.tokenize("扩大有效投资")
    assert any("有效" in t or "投资" in t for t in tokens)
    assert "有" not in tokens

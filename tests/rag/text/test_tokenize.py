"""Tokens for BM25: figures stay whole, stopwords go, the report's terms are kept in one piece."""

from __future__ import annotations

import pytest

from rag.text.tokenize import ChineseTokenizer, stopwords
from rag.text.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def tokenizer() -> ChineseTokenizer:
    return ChineseTokenizer(load_vocabulary())


@pytest.mark.parametrize(
    "text, figure",
    [
        ("新增学位1.7万个", "1.7万"),
        ("安全生产事故起数下降48.6%、50%", "48.6%"),
        ("安全生产事故起数下降48.6%、50%", "50%"),
        ("预计实现地区生产总值1265亿元", "1265亿"),
        ("新建1270个5G基站", "5g"),
        ("历城二中女足勇夺U17冠军", "u17"),
        ("粮食总产量达到10.5万吨", "10.5万"),
    ],
)
def test_figures_stay_whole_tokens(tokenizer: ChineseTokenizer, text: str, figure: str) -> None:
    assert figure in tokenizer.tokenize(text)


def test_a_decimal_is_never_cut_at_its_point(tokenizer: ChineseTokenizer) -> None:
    tokens = tokenizer.tokenize("新增学位1.7万个，下降48.6%")
    assert not {"1", "7", ".", "7万", "48", "6", "6%"} & set(tokens)


def test_latin_words_are_lowercased_so_questions_match_either_case(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer.tokenize("GDP和RCEP") == tokenizer.tokenize("gdp和rcep") == ["gdp", "rcep"]


def test_stopwords_and_punctuation_are_dropped(tokenizer: ChineseTokenizer) -> None:
    tokens = tokenizer.tokenize("请问我们的学位有多少？是什么呢！")
    assert "学位" in tokens
    assert not set(tokens) & stopwords()
    assert not [t for t in tokens if not any(c.isalnum() for c in t)]


def test_the_district_name_is_a_stopword(tokenizer: ChineseTokenizer) -> None:
    # Every passage is about 历城区; the name must not make a passage look relevant.
    assert not {"历城", "历城区"} & set(tokenizer.tokenize("历城区的历城二中"))


def test_questions_of_only_stopwords_have_no_tokens(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer.tokenize("请问，是什么？有多少？") == []
    assert tokenizer.tokenize("") == []


def test_vocabulary_terms_are_single_tokens(tokenizer: ChineseTokenizer) -> None:
    for term in ["地区生产总值", "日间照料中心", "烟感报警器", "黑臭水体", "四好农村路", "保障性租赁住房"]:
        assert term in tokenizer.tokenize(f"关于{term}的问题"), term


def test_search_mode_also_yields_the_parts_of_long_terms(tokenizer: ChineseTokenizer) -> None:
    tokens = tokenizer.tokenize("新增高新技术企业174家")
    assert {"高新技术企业", "高新", "技术", "企业", "174"} <= set(tokens)


def test_a_question_and_its_passage_meet_on_the_same_tokens(tokenizer: ChineseTokenizer) -> None:
    question = set(tokenizer.tokenize("去年建了多少个5G基站？"))
    passage = set(tokenizer.tokenize("新建1270个5G基站，启动莲花山片区电缆隧道建设"))
    assert {"5g", "基站"} <= question & passage

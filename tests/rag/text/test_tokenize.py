"""Tokens for BM25: figures stay whole, stopwords go, the report's terms are kept in one piece.

`tokenizer` is the session's (tests/conftest.py): loading jieba's dictionary takes a second or two.
"""

from __future__ import annotations

import pytest

from rag.text.tokenize import BIGRAM_MARK, ChineseTokenizer, character_bigrams, stopwords


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
    assert {"1.7万", "48.6%"} <= set(tokens)
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
    tokens = tokenizer.tokenize("历城区的历城二中")
    assert "二中" in tokens
    assert not {"历城", "历城区"} & set(tokens)


def test_questions_of_only_stopwords_have_no_tokens(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer.tokenize("请问，是什么？有多少？") == []
    assert tokenizer.tokenize("") == []
    assert tokenizer.tokenize("请问，学位是什么？") == ["学位"]


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


def test_the_dictionary_knows_the_reports_terms_and_no_made_up_words(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer.knows("日间照料中心") and tokenizer.knows("养老院") and tokenizer.knows("学位")
    assert not tokenizer.knows("翀翀")


def test_tags_tell_a_questions_nouns_from_its_question_words(tokenizer: ChineseTokenizer) -> None:
    tags = dict(tokenizer.tag("历城区有多少人口"))
    assert tags["人口"] == "n"
    assert tags["多少"] != "n"
    assert dict(tokenizer.tag("去年GDP多少"))["GDP"] == "eng"  # Latin words keep their case when tagged


def test_bigrams_are_every_two_adjacent_chinese_characters_marked_apart_from_words() -> None:
    assert character_bigrams("新增学位1.7万个") == [f"{BIGRAM_MARK}{b}" for b in ("新增", "增学", "学位", "万个")]
    assert character_bigrams("5G，U17") == []


def test_search_terms_meet_where_the_segmenter_cut_a_question_apart(tokenizer: ChineseTokenizer) -> None:
    # jieba reads "黄河流经历城" as 黄 / 河流 / 经历 / 城: no word in common with the report's "黄河历城段".
    question, passage = "黄河流经历城的这一段评上啥荣誉了", "黄河历城段被评为省级美丽幸福示范河湖"
    assert "黄河" not in tokenizer.tokenize(question)
    assert f"{BIGRAM_MARK}黄河" in set(tokenizer.search_terms(question)) & set(tokenizer.search_terms(passage))


def test_search_terms_keep_the_words_and_figures_whole(tokenizer: ChineseTokenizer) -> None:
    terms = tokenizer.search_terms("新增学位1.7万个")
    assert {"学位", "1.7万"} <= set(terms)
    assert terms[: len(tokenizer.tokenize("新增学位1.7万个"))] == tokenizer.tokenize("新增学位1.7万个")

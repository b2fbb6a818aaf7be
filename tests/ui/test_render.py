"""The chat's HTML builders: markup from people or the report comes out as text."""

from html.parser import HTMLParser

from rag.types import Answer, Passage
from ui.render import answer_html, card_id, error_html, highlight, question_html, year_badge

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class Parsed(HTMLParser):
    """The elements and the visible text of an HTML fragment, as a browser would see them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data

    def names(self) -> set[str]:
        return {tag for tag, _ in self.tags}

    def with_class(self, name: str) -> list[dict]:
        return [attrs for _, attrs in self.tags if name in (attrs.get("class") or "").split()]


def passage(text="新建19处中小学、幼儿园，新增学位1.7万个。", year=2022, context=None, **extra) -> Passage:
    return Passage(
        chunk_id=extra.get("chunk_id", "c1"),
        text=text,
        context=context if context is not None else "公共服务体系更加健全。" + text + "“双减”落地见效。",
        section=extra.get("section", "一、2022年工作回顾 > 公共服务体系更加健全"),
        page=extra.get("page", 10),
        year=year,
        score=0.9,
    )


def test_question_payloads_come_out_as_text():
    for payload in (SCRIPT, IMG, "<b onmouseover=alert(1)>x</b>"):
        parsed = Parsed(question_html(payload))
        assert parsed.names() == {"div"}, parsed.tags
        assert parsed.text == payload


def test_error_message_is_escaped():
    parsed = Parsed(error_html(f"bad {IMG}"))
    assert "img" not in parsed.names()
    assert IMG in parsed.text


def test_answer_escapes_text_passages_sections_and_highlights():
    p = passage(text=f"正文{SCRIPT}", context=f"整段{IMG}正文{SCRIPT}", section=f"章节{IMG}")
    answer = Answer(question=SCRIPT, text=f"答案{IMG}[1]", citations=[p], refused=False, highlights=[SCRIPT])
    parsed = Parsed(answer_html(answer))
    assert not parsed.names() & {"script", "img"}
    assert parsed.text.count(SCRIPT) >= 2 and parsed.text.count(IMG) >= 2


def test_html_is_one_line_so_markdown_leaves_it_alone():
    # A blank line or an indented line would end the HTML block and let Markdown parse the rest.
    p = passage(text="第一句。\n\n    第二句", context="段落\n\n    第二段")
    html = answer_html(Answer("q", "答案\n\n    缩进[1]", [p], False, highlights=[""]))
    assert "\n" not in html
    assert "<br>" in html


def test_year_badges_label_and_colour_results_and_plans():
    done, plan = Parsed(year_badge(2022)), Parsed(year_badge(2023))
    assert done.text == "2022 成绩" and plan.text == "2023 计划"
    assert done.tags[0][1]["class"] != plan.tags[0][1]["class"]


def test_highlight_marks_the_supporting_clause_once():
    text = "新建19处中小学、幼儿园，新增学位1.7万个。新增学位1.7万个"
    html = highlight(text, ["新增学位1.7万个"])
    assert [tag for tag, _ in Parsed(html).tags] == ["mark"]
    assert html.startswith("新建19处中小学、幼儿园，<mark>新增学位1.7万个</mark>")


def test_highlight_marks_several_clauses_and_skips_overlaps():
    html = highlight("甲乙丙丁戊", ["丁", "甲乙", "乙丙"])
    assert html == "<mark>甲乙</mark>丙<mark>丁</mark>戊"


def test_highlight_escapes_inside_the_mark_and_skips_missing_clauses():
    assert highlight("a<b>c", ["<b>"]) == "a<mark>&lt;b&gt;</mark>c"
    assert highlight("新增学位1.7万个", ["不在文中"]) == "新增学位1.7万个"  # shown whole, nothing marked
    assert highlight("a<b>", []) == "a&lt;b&gt;"


def test_clauses_quoted_from_one_passage_are_all_marked():
    # the answerer joins two quotes from the same passage with "｜" in one highlights entry.
    p = passage(text="市场主体增长3.4%、总量达到21.7万户，均居全市第一。完成一般公共预算收入126亿元。")
    answer = Answer("q", "…[1]", [p], False, highlights=["总量达到21.7万户｜完成一般公共预算收入126亿元"])
    html = answer_html(answer)
    assert "<mark>总量达到21.7万户</mark>" in html and "<mark>完成一般公共预算收入126亿元</mark>" in html


def test_answer_cards_show_section_page_year_clause_and_paragraph():
    cited = [passage(), passage(text="新建改扩建中小学、幼儿园12所。", year=2023, page=23, chunk_id="c2")]
    answer = Answer(
        "2023年新增学位多少",
        "2022年新增学位1.7万个[1]；2023年计划新建改扩建中小学、幼儿园12所[2]。",
        cited,
        False,
        highlights=["新增学位1.7万个", "新建改扩建中小学、幼儿园12所"],
    )
    html = answer_html(answer)
    parsed = Parsed(html)
    assert len(parsed.with_class("rqa-card")) == 2
    assert [t for t, _ in parsed.tags].count("details") == 2 and "summary" in parsed.names()
    assert "2022 成绩" in parsed.text and "2023 计划" in parsed.text
    assert "第10页" in parsed.text and "第23页" in parsed.text
    assert "一、2022年工作回顾 > 公共服务体系更加健全" in parsed.text
    assert "<mark>新增学位1.7万个</mark>" in html
    assert len(parsed.with_class("rqa-context")) == 2 and "“双减”落地见效。" in parsed.text  # the whole paragraph
    assert len(parsed.with_class("rqa-ref")) == 2  # the [1] and [2] markers
    assert not parsed.with_class("rqa-related") and "报告未提及" not in parsed.text


def test_refusal_is_labelled_and_its_passages_marked_as_not_answering():
    related = [passage(text="常住人口城镇化率稳步提高。", year=2023)]
    answer = Answer("历城区有多少人口", "报告未提及历城区的人口总数。", citations=related, refused=True, highlights=["城镇化率"])
    html = answer_html(answer)
    parsed = Parsed(html)
    assert "报告未提及" in parsed.text
    assert "相关段落（不含答案）" in parsed.text
    assert len(parsed.with_class("rqa-related")) == 1 and "不含答案" in parsed.text
    assert "mark" not in parsed.names()  # nothing in the card claims to be the answer


def test_refusal_label_is_added_only_when_the_text_lacks_it():
    labelled = Parsed(answer_html(Answer("q", "这个问题报告里没有。", [], True)))
    assert labelled.with_class("rqa-refusal-label") and labelled.text.startswith("报告未提及")
    plain = Parsed(answer_html(Answer("q", "报告未提及这一内容。", [], True)))
    assert not plain.with_class("rqa-refusal-label") and plain.text.count("报告未提及") == 1
    assert plain.with_class("rqa-refused")


def test_refusal_without_any_passage_shows_no_empty_card_list():
    parsed = Parsed(answer_html(Answer("你好吗", "报告未提及。", [], True)))
    assert "报告未提及" in parsed.text and not parsed.with_class("rqa-cards")


def test_an_answer_from_keywords_alone_says_so_in_chinese():
    from dataclasses import replace

    from ui.render import DEGRADED_NOTE

    cited = passage()
    normal = Answer("新增学位多少", "2022年（已完成）：新增学位1.7万个[1]。", [cited], False, 2022, [cited], [cited.text])
    degraded = replace(normal, retrieved=[replace(cited, degraded=True)])
    assert DEGRADED_NOTE in Parsed(answer_html(degraded)).text
    assert DEGRADED_NOTE not in Parsed(answer_html(normal)).text
    assert "新增学位1.7万个" in Parsed(answer_html(degraded)).text


def test_in_the_chat_each_marker_links_to_its_card_and_the_answer_has_copy_and_rating_buttons():
    cited = [passage(), passage(text="新建改扩建中小学、幼儿园12所。", year=2023, page=23, chunk_id="c2")]
    answer = Answer("2023年新增学位多少", "新增学位1.7万个[1]；新建改扩建中小学、幼儿园12所[2]。", cited, False)
    parsed = Parsed(answer_html(answer, turn=4))
    assert [attrs["id"] for _, attrs in parsed.tags if "id" in attrs] == ["rqa-turn-4", "rqa-t4-c1", "rqa-t4-c2"]
    assert [attrs["href"] for attrs in parsed.with_class("rqa-ref")] == [f"#{card_id(4, 1)}", f"#{card_id(4, 2)}"]
    buttons = [attrs["class"] for tag, attrs in parsed.tags if tag == "button"]
    assert len(buttons) == 3 and "复制回答" in parsed.text and "有帮助" in parsed.text and "没帮助" in parsed.text
    # Outside the chat (no turn): no ids, no buttons, the markers are plain superscripts.
    plain = Parsed(answer_html(answer))
    assert "button" not in plain.names() and not any("id" in attrs for _, attrs in plain.tags)
    assert len(plain.with_class("rqa-ref")) == 2


def test_error_messages_in_the_chat_are_chinese_only():
    parsed = Parsed(error_html("问题太长了（576字），请控制在500字以内 / the question has 576 characters; the limit is 500"))
    assert "问题太长了（576字）" in parsed.text and "characters" not in parsed.text

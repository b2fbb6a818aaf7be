"""The staff view (ui/staff.py, ui/feedback_tab.py): only a session opened with the token may use it, and a
reviewed 👎 leaves as a golden line the eval command accepts. Handlers are called directly (no server)."""

from __future__ import annotations

import gradio as gr
import pytest

from eval.feedback import open_feedback_store
from eval.golden import load_golden
from rag.settings import DEFAULT_REPORT
from tests.eval.test_feedback import GDP_EVIDENCE, a_down
from ui.feedback_tab import NO_YEAR, feedback_handlers
from ui.staff import is_staff, token_matches


@pytest.mark.parametrize(
    "given, token, allowed",
    [("s3cret", "s3cret", True), ("wrong", "s3cret", False), ("", "s3cret", False), ("", "", False), ("anything", "", False)],
)
def test_only_the_configured_token_given_exactly_opens_the_staff_view(given, token, allowed):
    assert token_matches(given, token) is allowed


@pytest.fixture
def handlers(tmp_path):
    store = open_feedback_store("", tmp_path)
    first = store.add(a_down(question="<b>那去年呢？</b>"))
    return store, first, feedback_handlers(lambda: store, is_staff)


def test_a_citizen_session_is_refused_every_staff_action(handlers):
    _, first, (listing, show, save, export) = handlers
    for call in (lambda: listing("待复核", False), lambda: show(first, False), lambda: export(False)):
        with pytest.raises(gr.Error, match="仅限工作人员"):
            call()
    with pytest.raises(gr.Error, match="仅限工作人员"):
        save(first, "答案", "1265亿元", GDP_EVIDENCE, "number", "2022", "", False)


def test_staff_review_a_thumbs_down_and_export_it_as_a_golden_line(handlers):
    store, first, (listing, show, save, export) = handlers
    counts, dropdown = listing("待复核", True)
    assert "👎 1" in counts and "待复核 1" in counts
    assert [value for _, value in dropdown.choices] == [first]
    details, answer, *_ = show(first, True)
    assert "&lt;b&gt;那去年呢？&lt;/b&gt;" in details and "<b>" not in details  # the citizen's text is escaped
    assert "年份不对" in details and answer == ""

    counts = save(first, "2022年预计实现地区生产总值1265亿元。", "1265亿元", GDP_EVIDENCE, "number", "2022", "", True)
    assert "待复核 0" in counts
    assert show(first, True)[1:6] == ("2022年预计实现地区生产总值1265亿元。", "1265亿元", GDP_EVIDENCE, "number", "2022")
    (item,) = load_golden(export(True), DEFAULT_REPORT)
    assert "1265亿元" in item.must_include and item.year == 2022


def test_a_review_whose_evidence_is_not_in_the_report_is_refused_and_not_saved(handlers):
    store, first, (_, _, save, _) = handlers
    with pytest.raises(gr.Error, match="不是报告原文|not .*report"):
        save(first, "答案", "1265亿元", "这句话报告里没有", "number", "2022", "", True)
    assert store.counts().unreviewed == 1


def test_an_unanswerable_review_needs_no_year_and_no_evidence(handlers):
    store, first, (_, _, save, export) = handlers
    save(first, "报告未提及。", "报告未提及", "", "unanswerable", NO_YEAR, "", True)
    (item,) = load_golden(export(True), DEFAULT_REPORT)
    assert item.type == "unanswerable" and item.year is None

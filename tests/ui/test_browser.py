"""The chat page in a real browser: Debian's chromium, driven by Playwright, against the live server."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The README's screenshot is rewritten only on request (UPDATE_DOCS=1: not a REPORTQA_ variable, as
# tests/conftest.py clears those), so a test run leaves the working tree clean; every run keeps its own
# copy in tests/artifacts/.
DOCS_SCREENSHOT = PROJECT_ROOT / "docs" / "screenshot-chat.png"
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ANSWER_TIMEOUT = 120_000  # ms
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Chat:
    """The chat page, with what it did on the side: dialogs it opened, requests that left the server."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@pytest.fixture
def chat(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    chat = Chat(context.new_page())
    chat.page.on("dialog", lambda dialog: (chat.dialogs.append(dialog.message), dialog.dismiss()))
    chat.page.on("request", lambda r: r.url.startswith((server_url, "data:", "blob:")) or chat.outside_requests.append(r.url))
    chat.page.goto(server_url)
    expect(chat.page.locator("#rqa-question textarea")).to_be_visible(timeout=30_000)
    yield chat
    context.close()


def ask(page: Page, question: str):
    """Type a question, send it, and return the locator of the answer bubble once it is there."""
    answers = page.locator("#rqa-chat .rqa-answer, #rqa-chat .rqa-error")
    before = answers.count()
    box = page.locator("#rqa-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(answers).to_have_count(before + 1, timeout=ANSWER_TIMEOUT)
    return answers.last


def test_the_page_speaks_chinese_and_fetches_nothing_from_outside(chat):
    page = chat.page
    expect(page).to_have_title("历城区2023年政府工作报告 智能问答")
    expect(page.locator("h1")).to_have_text("历城区2023年政府工作报告 智能问答")
    expect(page.get_by_role("button", name="2023年新增学位多少")).to_be_visible()
    expect(page.locator("#rqa-clear")).to_have_text("清空对话")
    # Not "networkidle": Gradio keeps a heartbeat stream open, so the network never goes quiet.
    page.wait_for_load_state("load")
    page.wait_for_timeout(1000)
    assert chat.outside_requests == []


def test_answer_labels_both_years_and_opens_a_citation(chat):
    page = chat.page
    answer = ask(page, "2023年新增学位多少")
    expect(answer.locator(".rqa-text")).to_contain_text("2022")
    expect(answer.locator(".rqa-text")).to_contain_text("2023")
    expect(answer.locator(".rqa-badge", has_text="2022 成绩").first).to_be_visible()
    expect(answer.locator(".rqa-badge", has_text="2023 计划").first).to_be_visible()
    expect(answer.locator("mark").first).to_be_visible()

    card = answer.locator("details.rqa-card", has_text="2022 成绩").first
    paragraph = card.locator(".rqa-context")
    expect(paragraph).to_be_hidden()
    card.locator("summary").click()
    expect(paragraph).to_be_visible()
    expect(paragraph).to_contain_text("新增学位1.7万个")

    page.set_viewport_size({"width": 1366, "height": 1150})  # tall enough for question, answer and open card
    answer.evaluate("el => (el.closest('.message-row').previousElementSibling || el).scrollIntoView()")
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-desktop.png"))
    if os.environ.get("UPDATE_DOCS") == "1":
        page.screenshot(path=str(DOCS_SCREENSHOT))
    page.set_viewport_size({"width": 390, "height": 844})
    # Phone width: nothing wider than the screen, so no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards = answer.locator("details.rqa-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"]  # stacked, not side by side
    assert first["x"] + first["width"] <= 390


def test_follow_up_and_clear(chat):
    page = chat.page
    ask(page, "2022年新增了多少学位")
    second = ask(page, "那2023年呢")  # only the chat history says this is about school places
    expect(second.locator(".rqa-text")).to_contain_text("12所")
    page.locator("#rqa-clear").click()
    expect(page.locator("#rqa-chat .rqa-answer")).to_have_count(0)


def test_unanswerable_question_is_refused(chat):
    answer = ask(chat.page, "历城区有多少人口")
    expect(answer).to_have_class("rqa-answer rqa-refused")
    expect(answer).to_contain_text("报告未提及")
    expect(answer.locator("mark")).to_have_count(0)
    cards = answer.locator(".rqa-card")
    expect(cards).to_have_count(answer.locator(".rqa-related").count())  # every passage shown is marked
    if cards.count():
        expect(answer).to_contain_text("相关段落（不含答案）")


def test_bad_input_shows_the_reason_in_chinese_not_a_traceback(chat):
    # (An empty or too long question never reaches the chat: tests/ui/test_chat_browser.py.)
    message = ask(chat.page, "😀😀😀")
    expect(message).to_contain_text("问题里没有可以检索的文字，请用中文提问")
    expect(message).not_to_contain_text("Traceback")
    expect(message).not_to_contain_text("search")


def test_markup_in_questions_is_shown_as_text_and_never_runs(chat):
    page = chat.page
    for payload in XSS:
        ask(page, payload)
        expect(page.locator("#rqa-chat .rqa-question", has_text=payload)).to_be_visible()
    page.wait_for_timeout(500)  # give an onerror handler the chance to fire
    assert chat.dialogs == []
    assert page.locator('#rqa-chat img[src="x"]').count() == 0
    assert page.locator("#rqa-chat script").count() == 0

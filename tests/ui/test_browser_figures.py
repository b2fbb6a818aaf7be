"""The 数字速览 tab in a real browser (Debian's chromium via Playwright) against the live server:
cards, chart, filters, a source and the CSV download, at desktop width, on a phone, and in dark mode."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ui.test_browser import ARTIFACTS, browser  # noqa: F401  (the module's chromium, shared)
from ui.figures_tab import CSV_NAME

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
FILTER_TIMEOUT = 15_000  # ms: a filter is one round trip to the server
# WCAG AA for body text: what every figure, label and badge on the tab must reach, light or dark.
MIN_CONTRAST = 4.5
# The text colour of an element and the first non-transparent background behind it.
COLOURS_JS = """el => {
  let node = el, background = "rgba(0, 0, 0, 0)";
  while (node && /rgba\\(.*, 0\\)$|transparent/.test(background)) {
    background = getComputedStyle(node).backgroundColor; node = node.parentElement;
  }
  return [getComputedStyle(el).color, background];
}"""


@pytest.fixture
def open_figures_tab(browser, server_url):  # noqa: F811  (the imported fixture)
    """`open_figures_tab(viewport, scheme)`: a new page on the 数字速览 tab, and the list collecting any
    request that leaves the server. Its browser context is closed after the test."""
    contexts = []

    def open_tab(viewport: dict, scheme: str = "light") -> tuple[Page, list[str]]:
        context = browser.new_context(viewport=viewport, locale="zh-CN", color_scheme=scheme, accept_downloads=True)
        contexts.append(context)
        page, outside = context.new_page(), []
        page.on("request", lambda r: r.url.startswith((server_url, "data:", "blob:")) or outside.append(r.url))
        page.goto(server_url)
        tabs = page.get_by_role("tab")
        expect(tabs.first).to_be_visible(timeout=30_000)
        assert tabs.all_inner_texts()[:2] == ["问答", "数字速览"]  # the second tab, right after the chat
        tabs.nth(1).click()
        expect(page.locator(".rqa-fig-card")).to_have_count(7)
        return page, outside

    yield open_tab
    for context in contexts:
        context.close()


def choose(page: Page, dropdown: str, option: str) -> None:
    page.get_by_role("combobox", name=dropdown).click()
    page.get_by_role("option", name=option, exact=True).click()


def shown_count(page: Page) -> int:
    """The number of rows the table says it shows, checked against the rows it has."""
    text = page.locator(".rqa-fig-count").inner_text()
    count = int(re.search(r"\d+", text).group())
    expect(page.locator(".rqa-fig-row")).to_have_count(count)
    return count


def contrast(colours: list[str]) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)")."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"[\d.]+", colour)[:3]]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted(map(luminance, colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_desktop_cards_chart_filter_source_and_download(open_figures_tab):
    page, outside = open_figures_tab(DESKTOP)
    first_card = page.locator(".rqa-fig-card").first
    expect(first_card).to_contain_text("地区生产总值")
    expect(first_card.locator(".rqa-fig-card-value")).to_have_text("6%")
    first_card.locator("summary").click()
    expect(first_card.locator(".rqa-fig-source mark")).to_have_text("6%")
    expect(first_card.locator(".rqa-fig-where")).to_contain_text("第14页")

    chart = page.locator(".rqa-fig-chart")
    for label in ("2022年实际", "2022年预计", "2023年目标"):
        expect(chart.locator(".rqa-fig-legend")).to_contain_text(label)
    expect(chart.locator(".rqa-fig-pair")).to_have_count(8)
    widths = [box["width"] for box in (bar.bounding_box() for bar in chart.locator(".rqa-fig-bar").all())]
    assert len(widths) == 16 and min(widths) > 0
    foreign_trade = chart.locator(".rqa-fig-pair").filter(has=page.get_by_text("外贸进出口额", exact=True))
    expect(foreign_trade.locator(".rqa-fig-bar-value").first).to_have_text("40%以上")
    assert foreign_trade.locator(".rqa-fig-bar").first.bounding_box()["width"] == max(widths)  # one scale
    investment = chart.locator(".rqa-fig-pair").filter(has=page.get_by_text("固定资产投资", exact=True))
    expect(investment.locator(".rqa-fig-bar.rqa-fig-estimate")).to_be_visible()  # 2022's figure is an estimate

    expect(page.locator(".rqa-fig-count")).to_have_text("共233项数字")
    page.locator("#rqa-fig-search textarea").fill("学位")
    expect(page.locator(".rqa-fig-count")).to_contain_text("筛选出", timeout=FILTER_TIMEOUT)
    choose(page, "年份", "2022年")
    expect(page.locator(".rqa-fig-row .rqa-fig-target")).to_have_count(0, timeout=FILTER_TIMEOUT)
    rows = shown_count(page)
    assert rows >= 1
    expect(page.locator("#rqa-fig-download")).to_have_text(f"下载CSV（筛选后{rows}项）")

    row = page.locator(".rqa-fig-row").first
    source = row.locator(".rqa-fig-source")
    expect(source).to_be_hidden()
    row.locator("summary").click()
    expect(source).to_be_visible()
    expect(source.locator("mark")).to_have_text(row.locator(".rqa-fig-value").inner_text())
    expect(source.locator(".rqa-fig-where")).to_contain_text(re.compile(r"一、2022年工作回顾.*第\d+页"))

    with page.expect_download() as download:
        page.locator("#rqa-fig-download").click()
    assert download.value.suggested_filename == CSV_NAME
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese as UTF-8
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == rows + 1 and all(",2022," in line for line in lines[1:])
    assert "学位" in lines[1]

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "figures-desktop.png"), full_page=True)
    assert outside == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_reads_the_tab_in_light_and_dark_mode(open_figures_tab, scheme):
    page, outside = open_figures_tab(PHONE, scheme)
    assert page.evaluate("document.body.classList.contains('dark')") == (scheme == "dark")
    cards = page.locator(".rqa-fig-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"]  # two cards a row
    assert second["x"] + second["width"] <= PHONE["width"]
    for label in page.locator(".rqa-fig-bar-value").all():  # the widest bar still leaves room for its figure
        box = label.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], label.inner_text()

    choose(page, "状态", "预计")
    expect(page.locator(".rqa-fig-count")).to_contain_text("筛选出", timeout=FILTER_TIMEOUT)
    rows = shown_count(page)
    expect(page.locator(".rqa-fig-row .rqa-fig-estimate")).to_have_count(rows)
    expect(page.locator(".rqa-fig-row").first).to_contain_text("2022年预计")
    page.locator(".rqa-fig-row summary").first.click()
    expect(page.locator(".rqa-fig-row .rqa-fig-source mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling

    readable = [".rqa-fig-card-value", ".rqa-fig-card-name", ".rqa-fig-bar-value", ".rqa-fig-indicator"]
    readable += [".rqa-fig-value", ".rqa-fig-row .rqa-fig-badge", ".rqa-fig-row mark", ".rqa-fig-sentence"]
    for selector in readable:
        ratio = contrast(page.locator(selector).first.evaluate(COLOURS_JS))
        assert ratio >= MIN_CONTRAST, f"{selector} in {scheme} mode: contrast {ratio:.1f}"

    ARTIFACTS.mkdir(exist_ok=True)
    name = "figures-390px.png" if scheme == "light" else "figures-390px-dark.png"
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert outside == []

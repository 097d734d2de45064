"""The pages in a real browser: Playwright driving Debian's chromium (never a downloaded one).

Marked ``browser``; CI installs chromium with apt (``.ci/run``). Screenshots go to
``out/screenshots/`` (``make screenshots`` copies them to docs/screenshots for the README).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from newsprism.render.html import render_html
from tests.web.conftest import SCREENSHOTS, WebData

CHROMIUM = Path(os.environ.get("NEWSPRISM_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"BROWSER TESTS SKIPPED: {CHROMIUM} is absent (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []  # console errors and uncaught exceptions, checked by the tests
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    tab.on("dialog", lambda d: (tab.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield tab
    context.close()


def shot(tab: Any, name: str, **options: Any) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / name), **options)


def test_select_a_claim_highlights_it_in_both_seed_articles(
    page: Any, live_server: str, web_data: WebData
) -> None:
    page.goto(f"{live_server}/stories/{web_data.seed_story}")
    consensus = page.locator("table.claims tr:has(td.st-consensus) a.claim-pick").first
    claim = consensus.get_attribute("data-claim")
    consensus.click()
    for n in (1, 2):
        marks = page.locator(f"#art-{n} mark.claim.selected")
        assert marks.count() >= 1, f"claim {claim} not highlighted in article {n}"
        assert {marks.nth(i).get_attribute("data-claim") for i in range(marks.count())} == {claim}
    assert "2 articles" in page.locator("#claim-status").inner_text()
    assert consensus.get_attribute("aria-pressed") == "true"
    page.locator("#art-1 mark.claim.selected").first.scroll_into_view_if_needed()
    shot(page, "story-claim-selected.png")
    page.locator("#art-1 mark.claim.selected").first.click()  # a second click clears it
    assert page.locator("mark.claim.selected").count() == 0
    assert not page.problems


def test_quote_comparison_shows_word_differences(
    page: Any, live_server: str, web_data: WebData
) -> None:
    page.goto(f"{live_server}/stories/{web_data.seed_story}#quotes")
    variant = page.locator("details.qgroup:has(.rel-variant)").first
    variant.locator("summary").click()
    assert variant.evaluate("d => d.open")
    columns = variant.locator(".quote-col")
    assert columns.count() == 2
    assert variant.locator("mark.qdiff").count() >= 2
    assert variant.locator("blockquote").first.is_visible()
    variant.scroll_into_view_if_needed()
    shot(page, "quote-comparison.png")
    assert not page.problems


def test_pages_load_without_console_errors(page: Any, live_server: str, web_data: WebData) -> None:
    paths = [
        "/",
        "/?q=Bachelet",
        f"/stories/{web_data.seed_story}",
        f"/articles/{web_data.seed_articles[0]}",
        "/outlets",
        "/outlets/Signal%2024",
        "/ingest",
        "/api/docs",
    ]
    for path in paths:
        page.goto(live_server + path)
        assert page.locator("main h1").count() >= 1, path
    assert not page.problems, page.problems
    page.goto(live_server + "/no/such/page")
    assert page.locator("main h1").inner_text().startswith("404")
    # The browser logs the page's own 404 status; nothing else may go wrong.
    assert [p for p in page.problems if "404" not in p] == []
    page.goto(live_server + "/")
    shot(page, "story-list.png")
    page.goto(f"{live_server}/articles/{web_data.seed_articles[0]}")
    page.locator("details.removed summary").click()
    shot(page, "article.png")


def test_keyboard_only_reading(page: Any, live_server: str, web_data: WebData) -> None:
    page.goto(f"{live_server}/stories/{web_data.seed_story}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.keyboard.press("j")
    assert page.locator("mark.claim.selected").count() >= 1
    first = page.locator("mark.claim.selected").first.get_attribute("data-claim")
    page.keyboard.press("j")
    second = page.locator("mark.claim.selected").first.get_attribute("data-claim")
    assert first != second
    page.keyboard.press("Escape")
    assert page.locator("mark.claim.selected").count() == 0
    # Tab reaches the claim links and Enter selects, like a click.
    link = page.locator("table.claims a.claim-pick").first
    link.focus()
    page.keyboard.press("Enter")
    assert link.get_attribute("aria-pressed") == "true"
    assert not page.problems


def test_phone_width_has_no_sideways_scrolling(
    browser: Any, live_server: str, web_data: WebData
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        for path in ("/", f"/stories/{web_data.seed_story}", "/ingest"):
            tab.goto(live_server + path)
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (path, overflow)
        tab.goto(f"{live_server}/stories/{web_data.seed_story}")
        shot(tab, "phone-story.png")
    finally:
        context.close()


def test_without_javascript_the_report_still_reads(
    browser: Any, live_server: str, web_data: WebData
) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(f"{live_server}/stories/{web_data.seed_story}")
        assert tab.locator("#art-2 .text").inner_text().strip()
        link = tab.locator("table.claims a.claim-pick").first
        target = link.get_attribute("href")
        link.click()
        assert tab.url.endswith(target)  # jumps to the claim in the first article
    finally:
        context.close()


def test_hostile_articles_run_no_script(page: Any, live_server: str, web_data: WebData) -> None:
    paths = [
        f"/stories/{quote(web_data.xss_story, safe='')}",
        *(f"/articles/{quote(a, safe='')}" for a in web_data.xss_articles),
        "/outlets",
        "/",
    ]
    for path in paths:
        page.goto(live_server + path)
        assert page.evaluate("typeof window.__xss") == "undefined", path
    assert not [p for p in page.problems if "__xss" in p or "dialog" in p]


def test_standalone_report_file_works_offline(
    page: Any, live_server: str, web_data: WebData, tmp_path: Path
) -> None:
    report = page.context.request.get(f"{live_server}/api/stories/{web_data.seed_story}").json()
    target = tmp_path / "report.html"
    target.write_text(render_html(report), encoding="utf-8")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(target.as_uri())
    page.locator("table.claims a.claim-pick").first.click()
    assert page.locator("#art-1 mark.claim.selected, #art-2 mark.claim.selected").count() >= 1
    assert requests == [target.as_uri()], requests
    assert not page.problems, page.problems
    shot(page, "standalone-report.png", full_page=False)

"""The browser extension in real headless Chromium, against the real API, on composer fixtures.

Each fixture page models a real composer (see tests/e2e/pages/) and records what the site itself
saw: its own model of the text, its input events, and every post that went out.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from nlp.policy import CATEGORIES as POLICY_CATEGORIES
from tests.e2e.conftest import ApiServer, Browser, JsonServer, free_port, save_screenshot

pytestmark = pytest.mark.browser

ALL_PAGES = ["textarea.html", "contenteditable.html", "draft.html", "lexical.html", "late.html", "csp.html"]
RICH_PAGES = ["contenteditable.html", "draft.html", "lexical.html", "late.html"]
# Texts with two non-BMP emoji before the flagged span, so UTF-16 and code-point offsets differ.
RISKY_TEXTS = [
    "🎉🎉 We printed the DMUK logo on our banner",
    "🎉🎉 Call me on +7 701 234 5678 tonight",
    "🎉🎉 Write to aigerim.s@gmail.com about it",
]
EMAIL_TEXT = "🙂 Message me at aigerim.s@gmail.com tonight"
TWO_KINDS_TEXT = "🎉 We printed the DMUK logo on our banner! Questions? Email aigerim.s@gmail.com"
CLEAN_TEXT = "Coffee, code, repeat. Hackathon day two"
CATEGORIES = set(POLICY_CATEGORIES)


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def pick_text(
    api: ApiServer, candidates: list[str], want: Callable[[dict[str, Any]], bool]
) -> tuple[str, list]:
    """Return the first candidate text the API flags with a wanted finding, and its findings."""
    for text in candidates:
        findings = api.check(text)["findings"]
        if any(want(f) for f in findings):
            return text, findings
    raise AssertionError(f"the API flags none of {candidates!r} as wanted: update the test texts")


def blocking_text(api: ApiServer) -> tuple[str, list]:
    """A risky text whose findings include a medium or high one (the dialog's trigger)."""
    return pick_text(api, RISKY_TEXTS, lambda f: f["severity"] in ("medium", "high"))


def open_composer(browser: Browser, name: str) -> Page:
    """Open a fixture page and focus its composer (waiting for late composers to appear)."""
    page = browser.open(name)
    page.wait_for_selector("#editor", timeout=10_000)
    page.click("#editor")
    return page


def type_text(page: Page, text: str) -> None:
    """Type like a student: real key events, emoji through the IME path."""
    page.keyboard.type(text)


def marks(page: Page, category: str | None = None) -> Any:
    """The underline elements in the overlay (Playwright's CSS pierces the open shadow root)."""
    selector = ".mark" if category is None else f'.mark[data-ppc-category="{category}"]'
    return page.locator(f"[data-ppc-root] {selector}")


def badge(page: Page) -> Any:
    return page.locator("[data-ppc-root] [data-ppc-badge]").first


def wait_for_findings(page: Page, findings: list[dict[str, Any]]) -> None:
    """Wait until every finding the API returned is underlined."""
    for f in findings:
        expect(mark_of(page, f).first).to_be_attached(timeout=15_000)


def mark_of(page: Page, f: dict[str, Any]) -> Any:
    return page.locator(
        f'[data-ppc-root] .mark[data-ppc-category="{f["category"]}"]'
        f'[data-ppc-start="{f["start_utf16"]}"][data-ppc-end="{f["end_utf16"]}"]'
    )


def union_box(locator: Any) -> dict[str, float]:
    boxes = [b for b in (locator.nth(i).bounding_box() for i in range(locator.count())) if b]
    assert boxes, "no visible underline"
    return {
        "left": min(b["x"] for b in boxes),
        "right": max(b["x"] + b["width"] for b in boxes),
        "bottom": max(b["y"] + b["height"] for b in boxes),
    }


RANGE_BOX = """([start, end]) => {
    const editor = document.getElementById("editor");
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let pos = 0, started = false, node;
    while ((node = walker.nextNode())) {
        const len = node.data.length;
        if (!started && start < pos + len) { range.setStart(node, start - pos); started = true; }
        if (started && end <= pos + len) { range.setEnd(node, end - pos); break; }
        pos += len;
    }
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    return { left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
             bottom: Math.max(...rects.map((r) => r.bottom)) };
}"""

# Where the characters of a span are drawn in a one-line textarea, measured independently of the
# extension: the textarea's content box plus the canvas width of the text before the span.
TEXTAREA_BOX = """([start, end]) => {
    const ta = document.getElementById("editor");
    const style = getComputedStyle(ta);
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = style.font;
    const rect = ta.getBoundingClientRect();
    const x0 = rect.left + ta.clientLeft + parseFloat(style.paddingLeft) - ta.scrollLeft;
    const left = x0 + ctx.measureText(ta.value.slice(0, start)).width;
    return { left, right: left + ctx.measureText(ta.value.slice(start, end)).width };
}"""


def open_card_for(page: Page, f: dict[str, Any]) -> Any:
    """Hover the finding's underline and return its card section."""
    box = union_box(mark_of(page, f))
    page.mouse.move(box["left"] + 3, box["bottom"] - 6)
    section = page.locator(f'[data-ppc-root] [data-ppc-card] .finding[data-ppc-category="{f["category"]}"]')
    expect(section.first).to_be_visible(timeout=5_000)
    return section.first


def posts(page: Page) -> list[str]:
    return page.evaluate("window.fixture.posts")


def dialog(page: Page) -> Any:
    return page.get_by_role("dialog", name="Before you post")


# ----------------------------------------------------------------------------------------------
# Warnings while typing
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_name", ALL_PAGES)
def test_warnings_underline_exactly_the_api_span(
    browser: Browser, api_server: ApiServer, page_name: str
) -> None:
    text, findings = blocking_text(api_server)
    assert text.startswith("🎉🎉")
    page = open_composer(browser, page_name)
    type_text(page, text)
    assert page.evaluate("window.fixture.model").strip() == text
    wait_for_findings(page, findings)

    for f in findings:
        # The emoji before the span make UTF-16 offsets differ from code-point offsets.
        assert f["start_utf16"] == f["start"] + 2
        drawn = union_box(mark_of(page, f))
        script = TEXTAREA_BOX if page_name in ("textarea.html", "csp.html") else RANGE_BOX
        expected = page.evaluate(script, [f["start_utf16"], f["end_utf16"]])
        assert abs(drawn["left"] - expected["left"]) <= 2, (f["text"], drawn, expected)
        assert abs(drawn["right"] - expected["right"]) <= 2, (f["text"], drawn, expected)
        if "bottom" in expected:
            assert abs(drawn["bottom"] - expected["bottom"]) <= 3
    # Every warning element names its category.
    assert marks(page).count() >= len(findings)
    for i in range(marks(page).count()):
        assert marks(page).nth(i).get_attribute("data-ppc-category") in CATEGORIES
    expect(badge(page)).to_have_attribute("data-ppc-count", str(len(findings)))
    expect(badge(page)).to_have_attribute("data-ppc-status", "ok")


def test_underlines_follow_typing_and_scrolling(
    make_browser: Callable[..., Browser], api_server: ApiServer
) -> None:
    text, findings = blocking_text(api_server)
    f = findings[0]
    browser = make_browser(pauseMs=2000)  # long enough to see the underline move before a re-check
    page = open_composer(browser, "textarea.html")
    filler = "".join(f"line {i}\n" for i in range(12))
    type_text(page, filler + text)
    shifted = {**f, "start_utf16": f["start_utf16"] + len(filler), "end_utf16": f["end_utf16"] + len(filler)}
    wait_for_findings(page, [shifted])
    before = union_box(mark_of(page, shifted))

    # Scrolling the textarea moves the underline with the text, at once.
    page.evaluate("document.getElementById('editor').scrollTop -= 40")
    page.wait_for_timeout(100)
    after_scroll = union_box(mark_of(page, shifted))
    assert after_scroll["bottom"] == pytest.approx(before["bottom"] + 40, abs=1.5)

    # Typing before the span moves the underline before the API has even answered again.
    checks = len(api_server.check_statuses())
    page.evaluate("document.getElementById('editor').setSelectionRange(0, 0)")
    page.keyboard.type("ab")
    moved = {**shifted, "start_utf16": shifted["start_utf16"] + 2, "end_utf16": shifted["end_utf16"] + 2}
    expect(mark_of(page, moved).first).to_be_attached(timeout=1_000)
    assert len(api_server.check_statuses()) == checks

    # Resizing the composer re-wraps the text; the underline follows the span.
    wide = union_box(mark_of(page, moved))
    page.evaluate("document.getElementById('editor').style.width = '260px'")
    page.wait_for_timeout(200)
    narrow = union_box(mark_of(page, moved))
    editor = page.locator("#editor").bounding_box()
    assert narrow != wide
    assert editor["x"] <= narrow["left"] < narrow["right"] <= editor["x"] + editor["width"]


def test_card_explains_with_policy_text_and_screenshot(browser: Browser, api_server: ApiServer) -> None:
    text, findings = pick_text(
        api_server, [TWO_KINDS_TEXT, EMAIL_TEXT], lambda f: f["category"] == "personal_data"
    )
    page = open_composer(browser, "draft.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    f = next(f for f in findings if f["category"] == "personal_data")
    section = open_card_for(page, f)

    policy = api_server.policy()
    category = next(c for c in policy["categories"] if c["id"] == "personal_data")
    clause = next(c for c in policy["clauses"] if c["id"] == f["clauses"][0])
    expect(section.locator(".title")).to_have_text(category["title"])
    expect(section.locator("[data-ppc-message]")).to_have_text(f["message"])
    first_clause = section.locator(f'details[data-ppc-clause="{clause["id"]}"]')
    expect(first_clause.locator("summary")).to_contain_text(clause["title"])
    first_clause.locator("summary").click()
    expect(first_clause.locator("p")).to_have_text(clause["text"])
    # The underline is drawn in the category colour that /v1/policy gives.
    colour = mark_of(page, f).first.evaluate("el => getComputedStyle(el).borderBottomColor")
    hex_colour = category["colour"].lstrip("#")
    assert colour == "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)))
    save_screenshot(page, "composer-with-warnings.png", publish=True)


# ----------------------------------------------------------------------------------------------
# Fix and ignore
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_name", ["textarea.html", "contenteditable.html", "draft.html", "lexical.html"])
def test_fix_goes_through_the_editor_input_path(
    browser: Browser, api_server: ApiServer, page_name: str
) -> None:
    text, findings = pick_text(api_server, [EMAIL_TEXT], lambda f: f["replacement"] is not None)
    f = next(f for f in findings if f["replacement"] is not None)
    page = open_composer(browser, page_name)
    type_text(page, text)
    wait_for_findings(page, [f])
    inputs_before = page.evaluate("window.fixture.inputs")

    open_card_for(page, f).locator('[data-ppc-action="fix"]').click()

    expected = text[: f["start"]] + f["replacement"] + text[f["end"] :]
    # The site's own model saw the change (its input/beforeinput handler ran), not just the DOM.
    page.wait_for_function(
        "expected => window.fixture.model.trim() === expected", arg=expected, timeout=5_000
    )
    assert page.evaluate("window.fixture.inputs") > inputs_before
    shown = page.evaluate(
        "(() => { const e = document.getElementById('editor'); return e.value ?? e.innerText; })()"
    )
    assert shown.strip() == expected
    expect(mark_of(page, f)).to_have_count(0, timeout=5_000)
    # The fixed text is checked again and the replaced span is no longer flagged.
    expect(badge(page)).to_have_attribute("data-ppc-status", "ok")
    assert all(g["text"] != f["text"] for g in api_server.check(expected)["findings"])


def test_ignore_hides_that_finding_for_this_post(browser: Browser, api_server: ApiServer) -> None:
    text = TWO_KINDS_TEXT
    findings = api_server.check(text)["findings"]
    categories = {f["category"] for f in findings}
    assert {"university_branding", "personal_data"} <= categories, findings
    page = open_composer(browser, "contenteditable.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    email = next(f for f in findings if f["category"] == "personal_data")

    open_card_for(page, email).locator('[data-ppc-action="ignore"]').click()
    expect(mark_of(page, email)).to_have_count(0)
    expect(badge(page)).to_have_attribute("data-ppc-count", str(len(findings) - 1))
    assert marks(page, "university_branding").count() >= 1
    # A later check of the same post keeps it ignored.
    page.keyboard.type(" ok")
    page.wait_for_timeout(1500)
    expect(badge(page)).to_have_attribute("data-ppc-status", "ok")
    expect(marks(page, "personal_data")).to_have_count(0)
    expect(marks(page, "university_branding").first).to_be_attached()


def test_badge_lists_every_warning_for_keyboard_users(browser: Browser, api_server: ApiServer) -> None:
    text = "🎉 We printed the DMUK logo on our banner, email aigerim.s@gmail.com"
    findings = api_server.check(text)["findings"]
    assert len(findings) >= 2
    page = open_composer(browser, "textarea.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    expect(badge(page)).to_have_attribute(
        "aria-label", re.compile(rf"{len(findings)} warnings, highest (medium|high)")
    )
    badge(page).click()
    sections = page.locator("[data-ppc-root] [data-ppc-card] .finding")
    expect(sections).to_have_count(len(findings))
    assert {sections.nth(i).get_attribute("data-ppc-category") for i in range(len(findings))} == {
        f["category"] for f in findings
    }
    # Focus moved into the card, and Escape hands it back to the composer.
    in_card = "document.querySelector('[data-ppc-root]').shadowRoot.activeElement.closest('[data-ppc-card]')"
    assert page.evaluate(f"!!{in_card}")
    page.keyboard.press("Escape")
    expect(page.locator("[data-ppc-root] [data-ppc-card]")).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "editor"


# ----------------------------------------------------------------------------------------------
# The last check before posting
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page_name", ["textarea.html", "contenteditable.html", "draft.html", "lexical.html", "late.html"]
)
def test_post_click_is_held_once_and_post_anyway_posts(
    browser: Browser, api_server: ApiServer, page_name: str
) -> None:
    text, findings = blocking_text(api_server)
    page = open_composer(browser, page_name)
    type_text(page, text)
    wait_for_findings(page, findings)

    page.click("[data-post]")
    expect(dialog(page)).to_be_visible()
    assert posts(page) == [], "the first click must not post"
    items = dialog(page).locator("li")
    expect(items).to_have_count(len(findings))
    for i in range(items.count()):
        assert items.nth(i).get_attribute("data-ppc-category") in CATEGORIES
    if page_name == "contenteditable.html":
        save_screenshot(page, "pre-post-dialog.png", publish=True)

    dialog(page).get_by_role("button", name="Post anyway").click()
    expect(dialog(page)).to_have_count(0)
    page.wait_for_function("window.fixture.posts.length === 1", timeout=3_000)
    assert posts(page)[0].strip() == text
    assert page.evaluate("window.fixture.via") == ["click"]


def test_dialog_is_keyboard_accessible(browser: Browser, api_server: ApiServer) -> None:
    text, findings = blocking_text(api_server)
    page = open_composer(browser, "textarea.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    page.click("[data-post]")
    expect(dialog(page)).to_be_visible()
    assert dialog(page).get_attribute("aria-modal") == "true"

    focused = """() => {
        const active = document.querySelector("[data-ppc-root]").shadowRoot.activeElement;
        return active && active.textContent;
    }"""
    assert page.evaluate(focused) == "Edit post"
    # Focus trap: Tab and Shift+Tab cycle inside the dialog.
    seen = []
    for _ in range(4):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(focused))
    assert set(seen) == {"Edit post", "Post anyway"}
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) in {"Edit post", "Post anyway"}

    # Escape is "Edit post": the dialog closes, nothing is posted, the composer has focus.
    page.keyboard.press("Escape")
    expect(dialog(page)).to_have_count(0)
    assert posts(page) == []
    assert page.evaluate("document.activeElement.id") == "editor"


@pytest.mark.parametrize("page_name", ["textarea.html", "lexical.html"])
def test_ctrl_enter_is_held_once_then_replayed(
    browser: Browser, api_server: ApiServer, page_name: str
) -> None:
    text, findings = blocking_text(api_server)
    page = open_composer(browser, page_name)
    type_text(page, text)
    wait_for_findings(page, findings)

    page.keyboard.press("Control+Enter")
    expect(dialog(page)).to_be_visible()
    assert posts(page) == []
    dialog(page).get_by_role("button", name="Edit post").click()
    expect(dialog(page)).to_have_count(0)
    assert posts(page) == []

    page.keyboard.press("Control+Enter")
    dialog(page).get_by_role("button", name="Post anyway").click()
    page.wait_for_function("window.fixture.posts.length === 1", timeout=3_000)
    assert page.evaluate("window.fixture.via") == ["keyboard"]
    assert posts(page)[0].strip() == text


@pytest.mark.parametrize("page_name", ["textarea.html", "lexical.html"])
def test_clean_post_goes_straight_through(browser: Browser, api_server: ApiServer, page_name: str) -> None:
    assert api_server.check(CLEAN_TEXT)["findings"] == []
    page = open_composer(browser, page_name)
    type_text(page, CLEAN_TEXT)
    expect(badge(page)).to_have_attribute("data-ppc-status", "ok", timeout=10_000)
    expect(badge(page)).to_have_attribute("data-ppc-count", "0")
    page.click("[data-post]")
    page.wait_for_function("window.fixture.posts.length === 1", timeout=3_000)
    expect(dialog(page)).to_have_count(0)


# ----------------------------------------------------------------------------------------------
# Failing open
# ----------------------------------------------------------------------------------------------


def test_api_down_posting_works_and_badge_says_offline(make_browser: Callable[..., Browser]) -> None:
    browser = make_browser(apiUrl=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    page = open_composer(browser, "textarea.html")
    type_text(page, RISKY_TEXTS[0])
    expect(badge(page)).to_have_attribute("data-ppc-status", "offline", timeout=10_000)
    expect(badge(page)).to_have_text("Checker offline")
    assert marks(page).count() == 0
    page.click("[data-post]")
    page.wait_for_function("window.fixture.posts.length === 1", timeout=2_000)
    expect(dialog(page)).to_have_count(0)


def test_rate_limited_api_is_backed_off(make_browser: Callable[..., Browser], tmp_path: Any) -> None:
    limited = ApiServer.start(tmp_path, CHECK_RATE_LIMIT="1 per 6 second")
    try:
        browser = make_browser(apiUrl=limited.url)
        page = open_composer(browser, "textarea.html")
        type_text(page, RISKY_TEXTS[0])
        expect(badge(page)).to_have_attribute("data-ppc-status", "ok", timeout=10_000)
        assert limited.check_statuses() == [200]

        page.keyboard.type(" today")
        expect(badge(page)).to_have_attribute("data-ppc-status", "rate_limited", timeout=5_000)
        paused_at = time.monotonic()
        assert limited.check_statuses() == [200, 429]
        # Typing during the pause sends nothing until Retry-After has passed.
        for word in (" and", " then", " more"):
            page.keyboard.type(word)
            page.wait_for_timeout(400)
        assert limited.check_statuses() == [200, 429]

        expect(badge(page)).to_have_attribute("data-ppc-status", "ok", timeout=15_000)
        assert time.monotonic() - paused_at >= 2.5
        assert limited.check_statuses() == [200, 429, 200]
        assert marks(page).count() >= 1
    finally:
        limited.stop()


# ----------------------------------------------------------------------------------------------
# Privacy and safety
# ----------------------------------------------------------------------------------------------


def test_nothing_but_settings_in_extension_storage(browser: Browser, api_server: ApiServer) -> None:
    marker = "Zebracorn"
    text = f"{marker} says: email aigerim.s@gmail.com, we printed the DMUK logo on our banner"
    findings = api_server.check(text)["findings"]
    assert findings
    page = open_composer(browser, "contenteditable.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    open_card_for(page, findings[-1]).locator('[data-ppc-action="ignore"]').click()
    page.click("[data-post]")
    expect(dialog(page)).to_be_visible()

    stored = browser.storage()
    assert set(stored["local"]) <= {"apiKey"}
    assert set(stored["sync"]) <= {
        "enabled",
        "disabledSites",
        "extraSites",
        "apiUrl",
        "pauseMs",
        "hiddenCategories",
    }
    assert set(stored["session"]) <= {"policyCache", "apiState"}
    dump = json.dumps(stored, ensure_ascii=False).lower()
    for fragment in (marker.lower(), "aigerim", "banner", "says:"):
        assert fragment not in dump


def test_password_search_and_one_line_fields_are_ignored(browser: Browser, api_server: ApiServer) -> None:
    text, findings = blocking_text(api_server)
    page = browser.open("ignored.html")
    checks = len(api_server.check_statuses())
    for field in ("#password", "#search", "#oneline", "#oneline-ce", "#search-area"):
        page.click(field)
        page.keyboard.type(text)
    page.wait_for_timeout(1500)
    # Nothing attached to those fields: no badge, no underline, no check sent.
    assert len(api_server.check_statuses()) == checks
    assert page.locator("[data-ppc-root] [data-ppc-badge]:visible").count() == 0
    assert marks(page).count() == 0

    page.click("#editor")  # the look-alike positive: a real composer on the same page
    page.keyboard.type(text)
    wait_for_findings(page, findings)
    assert len(api_server.check_statuses()) > checks
    assert page.locator("[data-ppc-root] [data-ppc-badge]:visible").count() == 1
    composer = page.locator("#editor").bounding_box()
    for i in range(marks(page).count()):
        box = marks(page).nth(i).bounding_box()
        assert composer["y"] <= box["y"] <= composer["y"] + composer["height"]


def test_markup_from_the_api_is_shown_as_text(make_browser: Callable[..., Browser]) -> None:
    payload = '<img src=x onerror="window.__ppcPwned=1"><b>bold</b>'
    finding = {
        "category": "personal_data",
        "type": "email",
        "start": 0,
        "end": 5,
        "start_utf16": 0,
        "end_utf16": 5,
        "text": "Hello",
        "severity": "high",
        "clauses": ["9.9"],
        "message": f"Message {payload}",
        "suggestion": f"Suggestion {payload}",
        "replacement": f"{payload}",
        "detector": "x",
        "pattern": "x",
        "score": 1.0,
    }
    policy = {
        "policy": {"title": "T"},
        "clauses": [{"id": "9.9", "title": f"Clause {payload}", "text": f"Text {payload}"}],
        "categories": [
            {
                "id": "personal_data",
                "title": f"Title {payload}",
                "colour": "#dc2626",
                "clauses": ["9.9"],
                "message": "m",
                "suggestion": "s",
                "types": ["email"],
            }
        ],
    }
    routes = {
        "/v1/check": (200, {"findings": [finding], "risk": {"level": "high", "score": 1.0}}),
        "/v1/policy": (200, policy),
    }
    with JsonServer(routes) as hostile:
        browser = make_browser(apiUrl=hostile.url)
        page = open_composer(browser, "textarea.html")
        type_text(page, "Hello there")
        hello = {"category": "personal_data", "start_utf16": 0, "end_utf16": 5}
        wait_for_findings(page, [hello])
        section = open_card_for(page, hello)
        expect(section.locator("[data-ppc-message]")).to_have_text(f"Message {payload}")
        expect(section.locator(".title")).to_have_text(f"Title {payload}")
        expect(section.locator('[data-ppc-action="fix"]')).to_have_text(f"Replace with “{payload}”")
        section.locator("summary").click()
        expect(section.locator("details p")).to_have_text(f"Text {payload}")
        assert page.locator("[data-ppc-root] img").count() == 0
        bold = page.locator("[data-ppc-root] [data-ppc-card] b")
        assert [bold.nth(i).text_content() for i in range(bold.count())] == ["Try: "]
        page.click("[data-post]")
        expect(dialog(page).locator("li .msg")).to_contain_text(payload)
        assert page.evaluate("window.__ppcPwned") is None


# ----------------------------------------------------------------------------------------------
# Popup, options and switches
# ----------------------------------------------------------------------------------------------


def extension_url(browser: Browser, path: str) -> str:
    return browser.worker.url.rsplit("/", 1)[0] + "/" + path


def test_popup_shows_api_status_and_page_count(browser: Browser, api_server: ApiServer) -> None:
    text, findings = blocking_text(api_server)
    page = open_composer(browser, "textarea.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    # The popup asks the tab's content script, exactly like this:
    answer = browser.worker.evaluate(
        """async (url) => {
            const [tab] = await chrome.tabs.query({ url });
            return chrome.tabs.sendMessage(tab.id, { type: "pageStatus" });
        }""",
        f"{browser.pages_url}/textarea.html",
    )
    assert answer["count"] == len(findings)
    assert answer["status"] == "ok"

    popup = browser.context.new_page()
    popup.goto(extension_url(browser, "popup.html"))
    expect(popup.locator("#api")).to_have_attribute("data-status", "online", timeout=5_000)
    expect(popup.locator("#api-text")).to_have_text("Checker online")


def test_switching_off_globally_and_per_site_stops_checking(browser: Browser, api_server: ApiServer) -> None:
    text, findings = blocking_text(api_server)
    popup = browser.context.new_page()
    popup.goto(extension_url(browser, "popup.html"))
    expect(popup.locator("#enabled")).to_be_checked()
    popup.locator("#enabled").uncheck()
    popup.wait_for_timeout(200)
    assert browser.storage()["sync"]["enabled"] is False

    page = open_composer(browser, "textarea.html")
    type_text(page, text)
    page.wait_for_timeout(1500)
    assert marks(page).count() == 0
    page.click("[data-post]")
    page.wait_for_function("window.fixture.posts.length === 1", timeout=2_000)

    # Back on globally, but off for this site.
    browser.configure(enabled=True, disabledSites=["127.0.0.1"])
    page = open_composer(browser, "textarea.html")
    type_text(page, text)
    page.wait_for_timeout(1500)
    assert marks(page).count() == 0

    # And on again for the site: the already open page comes back to life.
    browser.configure(disabledSites=[])
    page.click("#editor")
    page.keyboard.type(" ")
    wait_for_findings(page, findings)


def test_late_composer_is_found_without_focus(browser: Browser) -> None:
    page = browser.open("late.html")
    expect(page.locator("[data-ppc-root] [data-ppc-layer]")).to_have_count(0)
    page.wait_for_selector("#editor", timeout=10_000)
    # The MutationObserver attaches to the new composer before the student even clicks it.
    expect(page.locator("[data-ppc-root] [data-ppc-layer]")).to_have_count(1, timeout=2_000)
    assert page.evaluate("document.activeElement === document.body")


def registered_scripts(browser: Browser, expected: list) -> list:
    """Poll the worker's dynamically registered content scripts until they match ``expected``."""
    for _ in range(50):
        scripts = browser.worker.evaluate("chrome.scripting.getRegisteredContentScripts()")
        if [s["matches"] for s in scripts] == expected:
            return scripts
        time.sleep(0.1)
    raise AssertionError(f"registered content scripts never became {expected}: {scripts}")


def test_sites_switched_on_by_hand_get_the_content_script_once(
    browser: Browser, api_server: ApiServer
) -> None:
    origin = browser.pages_url  # a host the extension already holds, so no permission prompt
    assert registered_scripts(browser, []) == []
    browser.configure(extraSites=[origin])  # what the popup's "Check this site" stores
    registered_scripts(browser, [[f"{origin}/*"]])

    # Declared and registered scripts both match this page: one overlay, one set of underlines.
    text, findings = blocking_text(api_server)
    page = open_composer(browser, "textarea.html")
    type_text(page, text)
    wait_for_findings(page, findings)
    assert page.locator("[data-ppc-root]").count() == 1
    assert marks(page).count() == len(findings)

    browser.configure(extraSites=[])
    registered_scripts(browser, [])


def test_options_page_saves_settings_and_hides_categories(browser: Browser, api_server: ApiServer) -> None:
    text = "🎉 We printed the DMUK logo on our banner, email aigerim.s@gmail.com"
    findings = api_server.check(text)["findings"]
    assert {"university_branding", "personal_data"} <= {f["category"] for f in findings}
    options = browser.context.new_page()
    options.goto(extension_url(browser, "options.html"))
    expect(options.locator("#cat-university_branding")).to_be_attached(timeout=5_000)
    options.fill("#pauseMs", "200")
    options.fill("#apiKey", "test-key-123")
    options.locator("#cat-university_branding").uncheck()
    options.click("button[type=submit]")
    expect(options.locator("#status")).to_have_text("Saved.")
    stored = browser.storage()
    assert stored["sync"]["pauseMs"] == 200
    assert stored["sync"]["hiddenCategories"] == ["university_branding"]
    assert stored["local"] == {"apiKey": "test-key-123"}
    assert stored["sync"]["apiUrl"] == api_server.url

    # Clear the key again (the test API may check keys); the hidden category stays hidden.
    options.fill("#apiKey", "")
    options.click("button[type=submit]")
    expect(options.locator("#status")).to_have_text("Saved.")
    page = open_composer(browser, "contenteditable.html")
    type_text(page, text)
    wait_for_findings(page, [f for f in findings if f["category"] == "personal_data"])
    assert marks(page, "university_branding").count() == 0

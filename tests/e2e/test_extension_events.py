"""What happened after a warning: the extension's event reports, end to end.

Chromium with the unpacked extension talks to the real API through a recording forwarder (so the
test sees the exact bytes the service worker sent), and the API's own counters are read back with
``GET /v1/stats`` and a ``stats`` key made by the CLI, with ``STATS_MIN_COUNT=1`` so that single
events show.
"""

from __future__ import annotations

import http.client
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import Page, expect

from api.keys import Keys, SqliteKeyBackend
from api.store import SQLITE_FILE, Store
from tests.e2e.conftest import PAGES, ApiServer, Browser, LoopbackServer
from tests.e2e.test_dashboard_browser import cli_key

pytestmark = pytest.mark.browser

EVENTS = ("warning_shown", "fix_applied", "edited_before_posting", "posted_anyway", "post_cancelled")
PLATFORMS = {"x", "facebook", "instagram", "linkedin", "reddit", "whatsapp", "tiktok", "other"}
EMAIL = "aigerim.s@gmail.com"
# Two medium findings: the logo (no fix) and an email address (fix: "[email]").
TEXT = f"We printed the DMUK logo on our banner! Questions? Email {EMAIL}"
BOTH = ("personal_data", "university_branding")
PD, UB = ("personal_data",), ("university_branding",)
# Words of the post that must never leave the browser in an event report.
POST_WORDS = ("printed", "DMUK", "logo", "banner", "Questions", "aigerim", "gmail")
EVENT_TIMEOUT_S = 10


# ----------------------------------------------------------------------------------------------
# A recording forwarder in front of the real API
# ----------------------------------------------------------------------------------------------


@dataclass
class Recorded:
    """One request the extension sent, and the status the API answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class RecordingProxy(LoopbackServer):
    """Forward every request to the API unchanged and keep a copy of what came in."""

    target: str = ""
    requests: list[Recorded] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """Forward, record, and relay the answer."""
        target = urlsplit(self.target)
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                try:
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    reply = [
                        (k, v)
                        for k, v in answer.getheaders()
                        if k.lower() not in ("connection", "transfer-encoding")
                    ]
                    status = answer.status
                finally:
                    upstream.close()
                requests.append(
                    Recorded(
                        self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, status
                    )
                )
                self.send_response(status)
                for name, value in reply:
                    if name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _forward  # noqa: N815 - stdlib naming

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
                """Keep the test output quiet."""

        return Handler

    def event_requests(self) -> list[Recorded]:
        """Return the POST /v1/events requests so far."""
        return [r for r in list(self.requests) if r.path == "/v1/events"]

    def events(self) -> list[tuple[str, tuple[str, ...]]]:
        """Return (event, categories) of every event report so far, sorted."""
        return sorted(
            (body["event"], tuple(body["categories"]))
            for body in (json.loads(r.body) for r in self.event_requests())
        )

    def checks(self) -> int:
        """Return how many checks went through."""
        return sum(1 for r in list(self.requests) if r.path == "/v1/check")


@dataclass
class EventsApi:
    """The API with k = 1 and no stats cache, its forwarder, and keys made beforehand."""

    server: ApiServer
    stats_key: str
    check_key: str


@pytest.fixture(scope="module")
def events_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EventsApi]:
    """The real API process, a `stats` key from the CLI and a `check` key, for this module."""
    workdir = tmp_path_factory.mktemp("events")
    stats_key = cli_key(workdir)
    check_key = Keys(SqliteKeyBackend(Store(None, workdir / SQLITE_FILE))).create("moodle", ("check",))
    server = ApiServer.start(
        workdir,
        STATS_MIN_COUNT="1",
        STATS_CACHE_SECONDS="0",
        CHECK_RATE_LIMIT="100000/minute",
        EVENT_RATE_LIMIT="100000/minute",
    )
    yield EventsApi(server, stats_key, check_key)
    server.stop()


@pytest.fixture
def proxy(events_api: EventsApi) -> Iterator[RecordingProxy]:
    """A fresh recording forwarder to the module's API."""
    with RecordingProxy(events_api.server.url) as recording:
        yield recording


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def stats_counts(api: EventsApi, platform: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Return the API's event counts for one platform: per event, and per (event, category)."""
    today = datetime.now(UTC).date()
    query = urlencode(
        {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1)), "platform": platform}
    )
    request = Request(  # noqa: S310 - our own local API
        f"{api.server.url}/v1/stats?{query}", headers={"Authorization": f"Bearer {api.stats_key}"}
    )
    with urlopen(request, timeout=30) as response:  # noqa: S310
        report = json.load(response)
    assert report["min_count"] == 1
    per_event: Counter[str] = Counter()
    per_category: Counter[tuple[str, str]] = Counter()
    for period in report["periods"]:
        for event in EVENTS:
            value = period["outcomes"][event]
            per_event[event] += value if isinstance(value, int) else 0  # "<1" is a zero
        for category, outcomes in period["outcomes_by_category"].items():
            for event in EVENTS:
                value = outcomes[event]
                per_category[event, category] += value if isinstance(value, int) else 0
    return per_event, per_category


def wait_for_events(
    proxy: RecordingProxy, count: int, settle_ms: int = 1500
) -> list[tuple[str, tuple[str, ...]]]:
    """Wait until `count` event reports arrived, then a little longer for any stray extra one."""
    deadline = time.monotonic() + EVENT_TIMEOUT_S
    while len(proxy.event_requests()) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(settle_ms / 1000)
    return proxy.events()


def open_composer(browser: Browser, name: str) -> Page:
    page = browser.open(name)
    page.wait_for_selector("#editor", timeout=10_000)
    page.click("#editor")
    return page


def mark(page: Page, category: str) -> Any:
    return page.locator(f'[data-ppc-root] .mark[data-ppc-category="{category}"]')


def dialog(page: Page) -> Any:
    return page.get_by_role("dialog", name="Before you post")


def badge(page: Page) -> Any:
    return page.locator("[data-ppc-root] [data-ppc-badge]").first


def type_post(page: Page, proxy: RecordingProxy, text: str = TEXT) -> None:
    """Type the post, wait for both underlines and for the warning_shown report it causes."""
    reports = len(proxy.event_requests())
    page.keyboard.type(text)
    for category in BOTH:
        expect(mark(page, category).first).to_be_attached(timeout=15_000)
    wait_for_events(proxy, reports + 1, settle_ms=0)


def card_action(page: Page, category: str, action: str) -> None:
    """Hover a category's underline and press one of its card's buttons (fix or ignore)."""
    box = mark(page, category).first.bounding_box()
    assert box
    page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 4)
    section = page.locator(f'[data-ppc-root] [data-ppc-card] .finding[data-ppc-category="{category}"]')
    expect(section.first).to_be_visible(timeout=5_000)
    section.first.locator(f'[data-ppc-action="{action}"]').click()


def choose(page: Page, button: str) -> None:
    """Press the site's Post button and answer the pre-post dialog ("Edit post", "Post anyway", "Escape")."""
    page.click("[data-post]")
    expect(dialog(page)).to_be_visible()
    if button == "Escape":
        page.keyboard.press("Escape")
    else:
        dialog(page).get_by_role("button", name=button).click()
    expect(dialog(page)).to_have_count(0)


def clear_by_student(page: Page) -> None:
    page.click("#editor")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")


def assert_anonymous(proxy: RecordingProxy, platform: str) -> None:
    """Every event report is the closed-set triple and nothing else: no text, key, cookie or referrer."""
    assert proxy.event_requests()
    for r in proxy.event_requests():
        body = json.loads(r.body)
        assert set(body) == {"event", "categories", "platform"}
        assert body["event"] in EVENTS
        assert body["categories"] and set(body["categories"]) <= set(BOTH)
        assert body["platform"] == platform and platform in PLATFORMS
        assert r.status == 204
        assert not {"authorization", "cookie", "referer"} & set(r.headers)
        raw = (r.body.decode() + json.dumps(r.headers)).lower()
        assert r.path == "/v1/events"
        for word in POST_WORDS:
            assert word.lower() not in raw


# ----------------------------------------------------------------------------------------------
# What is sent when
# ----------------------------------------------------------------------------------------------


def recheck(page: Page) -> None:
    for words in (" See you", " there"):
        page.keyboard.type(words)
        expect(badge(page)).to_have_attribute("data-ppc-status", "ok", timeout=5_000)
        page.wait_for_timeout(700)


def fix_email(page: Page) -> None:
    card_action(page, "personal_data", "fix")
    expect(page.locator("#editor")).to_have_value(TEXT.replace(EMAIL, "[email]"))


def fix_then_post_anyway(page: Page) -> None:
    card_action(page, "personal_data", "fix")
    expect(mark(page, "personal_data")).to_have_count(0, timeout=5_000)
    page.wait_for_timeout(1000)  # the re-check that confirms the email is gone
    choose(page, "Post anyway")


def delete_email(page: Page) -> None:
    page.click("#editor")
    page.keyboard.press("End")
    for _ in EMAIL:
        page.keyboard.press("Backspace")
    page.wait_for_timeout(1000)


def ignore_email(page: Page) -> None:
    card_action(page, "personal_data", "ignore")
    page.keyboard.type(" Thanks")
    page.wait_for_timeout(1000)


def clear_and_type_again(page: Page) -> None:
    clear_by_student(page)
    page.wait_for_timeout(500)
    page.keyboard.type(TEXT)
    for category in BOTH:
        expect(mark(page, category).first).to_be_attached(timeout=15_000)


def site_clears(page: Page) -> None:
    # What a site does after posting: sets the value, no input event, no key press.
    page.evaluate("document.getElementById('editor').value = ''")
    page.wait_for_timeout(1500)


def edit_post_twice(page: Page) -> None:
    choose(page, "Edit post")
    choose(page, "Escape")


def post_anyway_then_clear(page: Page) -> None:
    choose(page, "Post anyway")
    clear_by_student(page)


SHOWN = ("warning_shown", BOTH)
SCENARIOS: list[tuple[str, str, Callable[[Page], None], list[tuple[str, tuple[str, ...]]]]] = [
    # Debounce: re-checks of the same post report nothing new.
    ("recheck", "textarea.html", recheck, [SHOWN]),
    ("fix", "textarea.html", fix_email, [SHOWN, ("fix_applied", PD), ("edited_before_posting", PD)]),
    (
        "fix_then_post_anyway",
        "draft.html",
        fix_then_post_anyway,
        [SHOWN, ("fix_applied", PD), ("edited_before_posting", PD), ("posted_anyway", UB)],
    ),
    ("delete_the_email", "textarea.html", delete_email, [SHOWN, ("edited_before_posting", PD)]),
    # Ignoring a warning is not editing it away.
    ("ignore", "textarea.html", ignore_email, [SHOWN]),
    (
        "post_anyway",
        "contenteditable.html",
        lambda page: choose(page, "Post anyway"),
        [SHOWN, ("posted_anyway", BOTH)],
    ),
    # "Edit post" and then Escape on the same post: counted once.
    ("edit_post_then_escape", "textarea.html", edit_post_twice, [SHOWN, ("edited_before_posting", BOTH)]),
    # The student empties the composer: cancelled; typing again starts a new post.
    ("clear", "textarea.html", clear_and_type_again, [SHOWN, ("post_cancelled", BOTH), SHOWN]),
    ("clear_rich", "lexical.html", clear_by_student, [SHOWN, ("post_cancelled", BOTH)]),
    # The site empties it (as after posting): not a cancellation.
    ("site_clears", "textarea.html", site_clears, [SHOWN]),
    # Emptied after it went out: not a cancellation either.
    ("post_anyway_then_clear", "textarea.html", post_anyway_then_clear, [SHOWN, ("posted_anyway", BOTH)]),
]


@pytest.mark.parametrize(
    ("page_name", "act", "expected"), [row[1:] for row in SCENARIOS], ids=[row[0] for row in SCENARIOS]
)
def test_events_are_reported_once_and_counted(
    make_browser: Callable[..., Browser],
    events_api: EventsApi,
    proxy: RecordingProxy,
    page_name: str,
    act: Callable[[Page], None],
    expected: list[tuple[str, tuple[str, ...]]],
) -> None:
    assert {f["category"] for f in events_api.server.check(TEXT)["findings"]} == set(BOTH)
    before_events, before_categories = stats_counts(events_api, "other")
    browser = make_browser(apiUrl=proxy.url)
    page = open_composer(browser, page_name)
    type_post(page, proxy)

    act(page)

    assert wait_for_events(proxy, len(expected)) == sorted(expected)
    assert_anonymous(proxy, "other")
    after_events, after_categories = stats_counts(events_api, "other")
    assert after_events - before_events == Counter(event for event, _ in expected)
    assert after_categories - before_categories == Counter(
        (event, category) for event, categories in expected for category in categories
    )


def serve_fixture_pages(route: Any) -> None:
    """Answer https://x.com/<file> with tests/e2e/pages/<file>: a composer on the real host name."""
    name = urlsplit(route.request.url).path.lstrip("/")
    path = PAGES / name
    if not name or "/" in name or not path.is_file():
        route.fulfill(status=404, body="")
        return
    types = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
    route.fulfill(status=200, body=path.read_bytes(), content_type=types.get(path.suffix, "text/plain"))


def test_reports_carry_the_platform_and_never_the_key_or_text(
    make_browser: Callable[..., Browser], events_api: EventsApi, proxy: RecordingProxy
) -> None:
    before_x, _ = stats_counts(events_api, "x")
    before_other, _ = stats_counts(events_api, "other")
    browser = make_browser(apiUrl=proxy.url)
    # Checks carry the configured API key; event reports must not.
    browser.worker.evaluate("key => chrome.storage.local.set({ apiKey: key })", events_api.check_key)
    browser.context.route("https://x.com/**", serve_fixture_pages)
    page = browser.context.new_page()
    page.goto("https://x.com/textarea.html")
    page.wait_for_selector("#editor")
    page.click("#editor")
    type_post(page, proxy)
    choose(page, "Post anyway")

    assert wait_for_events(proxy, 2) == sorted([SHOWN, ("posted_anyway", BOTH)])
    assert_anonymous(proxy, "x")
    checks = [r for r in proxy.requests if r.path == "/v1/check"]
    assert checks and all(r.headers["authorization"] == f"Bearer {events_api.check_key}" for r in checks)
    after_x, _ = stats_counts(events_api, "x")
    after_other, _ = stats_counts(events_api, "other")
    assert after_x - before_x == Counter({"warning_shown": 1, "posted_anyway": 1})
    assert after_other == before_other


# ----------------------------------------------------------------------------------------------
# The switch on the options page, and the 429 backoff
# ----------------------------------------------------------------------------------------------


def options_page(browser: Browser) -> Page:
    page = browser.context.new_page()
    page.goto(browser.worker.url.rsplit("/", 1)[0] + "/options.html")
    expect(page.locator("#cat-personal_data")).to_be_attached(timeout=5_000)
    return page


@pytest.mark.parametrize(("report", "expected"), [(True, [SHOWN, ("posted_anyway", BOTH)]), (False, [])])
def test_options_switch_turns_reports_off(
    make_browser: Callable[..., Browser],
    proxy: RecordingProxy,
    report: bool,
    expected: list[tuple[str, tuple[str, ...]]],
) -> None:
    browser = make_browser(apiUrl=proxy.url)
    options = options_page(browser)
    switch = options.get_by_label("Report what happens after a warning")
    expect(switch).to_be_checked()  # on by default
    expect(options.locator("#reportEvents-hint")).to_contain_text(
        "Anonymous counts help the privacy office target guidance"
    )
    switch.set_checked(report)
    options.click("button[type=submit]")
    expect(options.locator("#status")).to_have_text("Saved.")
    assert browser.storage()["sync"]["reportEvents"] is report

    page = open_composer(browser, "textarea.html")
    page.keyboard.type(TEXT)
    for category in BOTH:
        expect(mark(page, category).first).to_be_attached(timeout=15_000)
    choose(page, "Post anyway")
    page.wait_for_function("window.fixture.posts.length === 1", timeout=3_000)

    assert wait_for_events(proxy, len(expected)) == sorted(expected)
    assert proxy.checks() >= 1  # the checker itself keeps working either way


def test_a_429_on_events_pauses_reports_only(make_browser: Callable[..., Browser], tmp_path: Path) -> None:
    limited = ApiServer.start(tmp_path, CHECK_RATE_LIMIT="100000/minute", EVENT_RATE_LIMIT="1 per 30 second")
    try:
        with RecordingProxy(limited.url) as recording:
            browser = make_browser(apiUrl=recording.url)
            page = open_composer(browser, "textarea.html")
            type_post(page, recording)  # warning_shown: 204
            card_action(page, "personal_data", "fix")  # fix_applied: 429, reports pause
            expect(mark(page, "personal_data")).to_have_count(0, timeout=5_000)
            page.keyboard.type(" See you there")  # the re-checks go on; edited_before_posting is dropped
            time.sleep(2.5)

            assert [r.status for r in recording.event_requests()] == [204, 429]
            assert [json.loads(r.body)["event"] for r in recording.event_requests()] == [
                "warning_shown",
                "fix_applied",
            ]
            session = browser.storage()["session"]
            assert session["eventState"]["until"] > time.time() * 1000
            assert "apiState" not in session  # checks are not paused by an events 429
            checks = [r.status for r in recording.requests if r.path == "/v1/check"]
            assert len(checks) >= 2 and set(checks) == {200}  # the one after the 429 too
            expect(badge(page)).to_have_attribute("data-ppc-status", "ok")
    finally:
        limited.stop()

"""The privacy office's dashboard in real headless Chromium, against the real API process.

The API runs as ``flask --app wsgi run`` with the embedded store; the key comes from the CLI, as
the issue describes; 60 days of counters are written into the store beforehand. The browser may
reach nothing but the API: every other request is refused and reported.
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from api.keys import Keys, SqliteKeyBackend
from api.stats_store import SqliteStatsBackend, field
from api.store import SQLITE_FILE, Store
from tests.e2e.conftest import CHROMIUM, REPO, ApiServer, save_screenshot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1440, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# How often each platform and category turns up: enough to be seen, with some rare ones suppressed.
PLATFORM_WEIGHT = {
    "instagram": 30,
    "x": 18,
    "whatsapp": 16,
    "tiktok": 12,
    "facebook": 8,
    "reddit": 5,
    "linkedin": 3,
    "other": 2,
}
CATEGORY_SHARE = {
    "personal_data": 0.34,
    "third_party": 0.22,
    "university_branding": 0.12,
    "harassment": 0.07,
    "complaint_or_proceedings": 0.05,
    "academic_misconduct": 0.05,
    "confidential": 0.03,
    "learning_platform_content": 0.02,
    "covert_recording": 0.01,
    "impersonation": 0.005,
}


def seed(path: Path, today: date, days: int = 60) -> None:
    """Write plausible daily counters for the last ``days`` days into the embedded store."""
    rng = random.Random(2025)  # noqa: S311 - test data
    backend = SqliteStatsBackend(Store(None, path), retention_days=400)
    for offset in range(days):
        day = today - timedelta(days=offset)
        weekday = 0.55 if day.weekday() >= 5 else 1.0
        counts: dict[str, int] = {}
        for platform, weight in PLATFORM_WEIGHT.items():
            checks = int(rng.gauss(weight * 2.2, weight * 0.4) * weekday)
            warned = int(checks * rng.uniform(0.22, 0.34))
            if checks <= 0:
                continue
            counts[field(platform, "checks")] = checks
            counts[field(platform, "warned_posts")] = warned
            for category, share in CATEGORY_SHARE.items():
                posts = int(rng.gauss(warned * share * 1.6, 1))
                if posts > 0:
                    counts[field(platform, f"category:{category}")] = min(posts, warned)
            edited, cancelled = int(warned * rng.uniform(0.25, 0.35)), int(warned * rng.uniform(0.05, 0.12))
            posted = max(0, warned - edited - cancelled)
            for event, value in (
                ("warning_shown", warned),
                ("fix_applied", int(edited * 0.6)),
                ("edited_before_posting", edited),
                ("post_cancelled", cancelled),
                ("posted_anyway", posted),
            ):
                if value > 0:
                    counts[field(platform, f"event:{event}")] = value
        backend.add(day, counts)


def cli_key(workdir: Path) -> str:
    """Create the privacy office's key with the CLI, as an operator would; return it."""
    result = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "keys",
            "create",
            "--name",
            "privacy-office",
            "--scope",
            "stats",
        ],
        cwd=REPO,
        env={**os.environ, "INSTANCE_PATH": str(workdir), "REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The real API with 60 days of counters, a stats key from the CLI and a check-only key."""
    workdir = tmp_path_factory.mktemp("office")
    today = date.today()  # the API files and reads counters by the real (UTC) date
    seed(workdir / SQLITE_FILE, today)
    stats_key = cli_key(workdir)
    check_key = Keys(SqliteKeyBackend(Store(None, workdir / SQLITE_FILE))).create("moodle", ("check",))
    server = ApiServer.start(workdir)
    yield {"url": server.url, "stats_key": stats_key, "check_key": check_key}
    server.stop()


@pytest.fixture
def page(playwright_instance: Any, office: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    """A laptop-sized page that may talk to the API only; stray requests and console errors fail the test."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: run `make system-deps`")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True, locale="en-GB")
    api_host = urlsplit(office["url"]).netloc
    stray: list[str] = []
    problems: list[str] = []

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).netloc == api_host:
            route.continue_()
        else:
            stray.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    # A refused sign-in is a 401/403 page, which Chromium reports as a console error: expected.
    refused = ("status of 401", "status of 403")

    def console(message: Any) -> None:
        if message.type == "error" and not any(r in message.text for r in refused):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    browser.close()
    assert stray == [], f"the dashboard tried to reach {stray}"
    assert problems == [], f"errors in the page: {problems}"  # CSP violations included


def sign_in(page: Any, office: dict[str, Any], key: str) -> None:
    """Open the dashboard and sign in with ``key``."""
    page.goto(f"{office['url']}/dashboard")
    page.fill("#key", key)
    page.click("button[type=submit]")


def chart(page: Any, canvas_id: str) -> dict[str, Any] | None:
    """Return what Chart.js drew on a canvas: its labels and datasets."""
    return page.evaluate(
        """id => {
            const chart = Chart.getChart(document.getElementById(id));
            if (!chart) return null;
            const datasets = chart.data.datasets.map(d => ({label: d.label, data: d.data}));
            return {labels: chart.data.labels, datasets};
        }""",
        canvas_id,
    )


def test_the_office_signs_in_and_sees_the_charts_on_a_laptop_screen(page, office):
    sign_in(page, office, office["stats_key"])
    page.wait_for_selector("html[data-charts-ready=true]")
    expect(page.locator(".account")).to_contain_text("privacy-office")

    categories = chart(page, "chart-categories")
    assert categories is not None
    assert len(categories["labels"]) == 30  # the last 30 days, one bar each
    titles = {d["label"] for d in categories["datasets"]}
    assert {"Personal data", "Names another person"} <= titles
    assert all(v is None or v >= 5 for d in categories["datasets"] for v in d["data"])  # never a small count
    platforms = chart(page, "chart-platforms")
    assert platforms is not None and "Instagram" in platforms["labels"]
    outcomes = chart(page, "chart-outcomes")
    assert outcomes is not None and outcomes["labels"] == ["Edited or cancelled", "Posted anyway"]
    share = page.inner_text("#kpi-share")
    assert share.endswith("%") and 20 <= int(share[:-1]) <= 60
    revised, posted = outcomes["datasets"][0]["data"]
    assert round(100 * revised / (revised + posted)) == int(share[:-1])  # the chart and the figure agree
    assert page.locator("#top-categories li").count() >= 3

    # Reads well on a laptop: no sideways scrolling, the key figures and main chart in the first screen.
    layout = page.evaluate(
        """() => ({
            sideways: document.documentElement.scrollWidth - window.innerWidth,
            chartBottom: document.getElementById('chart-categories').getBoundingClientRect().bottom,
            kpiFont: parseFloat(getComputedStyle(document.querySelector('.kpi-value')).fontSize),
            smallest: Math.min(...[...document.querySelectorAll('body *')]
                .filter(e => e.childNodes.length && e.innerText)
                .map(e => parseFloat(getComputedStyle(e).fontSize))),
            cookie: document.cookie,
        })"""
    )
    assert layout["sideways"] <= 0
    assert layout["chartBottom"] <= LAPTOP["height"]
    assert layout["kpiFont"] >= 24 and layout["smallest"] >= 11
    assert layout["cookie"] == ""  # HttpOnly: the page's scripts cannot read the session
    cookie = next(c for c in page.context.cookies() if c["name"] == "ppc_dashboard")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/dashboard"
    assert office["stats_key"] not in cookie["value"]

    save_screenshot(page, "dashboard.png", publish=True, full_page=True)


def test_filters_and_csv_download(page, office, tmp_path):
    sign_in(page, office, office["stats_key"])
    page.wait_for_selector("html[data-charts-ready=true]")
    first = (date.today() - timedelta(days=27)).isoformat()
    page.fill("input[name=from]", first)
    page.select_option("select[name=platform]", "instagram")
    page.select_option("select[name=group_by]", "week")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**platform=instagram**")
    page.wait_for_selector("html[data-charts-ready=true]")
    categories = chart(page, "chart-categories")
    assert categories is not None and all(label.count("-W") == 1 for label in categories["labels"])
    platforms = chart(page, "chart-platforms")
    assert platforms is not None and platforms["labels"] == ["Instagram"]
    expect(page.locator("select[name=platform]")).to_have_value("instagram")

    with page.expect_download() as download_info:
        page.click("#csv-download")
    download = download_info.value
    assert download.suggested_filename.endswith("_week_instagram.csv")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert rows and {r["platform"] for r in rows} == {"instagram"}
    assert all(r["value"].isdigit() or r["value"] in ("<5", "hidden") for r in rows)
    assert {r["period"] for r in rows} == set(categories["labels"])


@pytest.mark.parametrize(
    ("which", "message"),
    [("wrong", "Unknown or revoked API key."), ("check_key", "does not have the 'stats' scope")],
)
def test_keys_without_the_stats_scope_are_turned_away(page, office, which, message):
    sign_in(page, office, "ppc_" + "z" * 32 if which == "wrong" else office[which])
    expect(page.locator(".alert")).to_contain_text(message)
    assert page.locator("#chart-categories").count() == 0


def test_sign_out(page, office):
    sign_in(page, office, office["stats_key"])
    page.wait_for_selector("html[data-charts-ready=true]")
    page.click("text=Sign out")
    expect(page.locator("#key")).to_be_visible()
    page.goto(f"{office['url']}/dashboard")
    expect(page.locator("#key")).to_be_visible()

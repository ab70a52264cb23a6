"""Security headers as a real browser applies them: CSP on /docs and the dashboard, CORS for the extension.

Headless Chromium (Debian's, driven by Playwright) against gunicorn. The pages must work under
their CSP with no violation reported, and the CSP must be live (an injected inline script is
refused). For CORS the API listens on 127.0.0.2, a host the extension has no permission for, so
its service worker's keyed requests are real CORS requests from ``chrome-extension://<id>``;
a web page's are refused, and so are the extension's when ``CORS_ORIGINS`` leaves it out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CHROMIUM, EXTENSION, pages_url  # noqa: F401 - fixtures
from tests.reliability.server import Gunicorn

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CSP_PROBLEM = re.compile(r"Content Security Policy|Refused to", re.I)
FETCH = """async ([url, key]) => {
    try {
        const response = await fetch(url + '/v1/check', {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + key},
            body: JSON.stringify({text: 'Hello from the browser'}),
        });
        return {status: response.status, remaining: response.headers.get('X-RateLimit-Remaining'),
                body: await response.json()};
    } catch (error) {
        return {error: String(error)};
    }
}"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """gunicorn on 127.0.0.1 with the default settings (embedded store), one worker."""
    server = Gunicorn(tmp_path_factory.mktemp("browser-api"), {}, workers=1).start()
    yield server
    server.stop()


@pytest.fixture
def page(playwright_instance: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh Chromium page and the console errors and page errors it reports."""
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page, problems
    browser.close()


def csp_problems(problems: list[str]) -> list[str]:
    """Return the reported problems that are CSP violations."""
    return [p for p in problems if CSP_PROBLEM.search(p)]


def test_docs_work_under_their_csp(api, page):
    tab, problems = page
    url = f"http://{api.host}:{api.port}"
    response = tab.goto(f"{url}/docs")
    assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    tab.wait_for_selector(".opblock", timeout=30_000)
    assert tab.locator(".opblock").count() >= 7  # every operation rendered by Swagger UI's scripts
    # Try GET /v1/policy from the page: Swagger UI's own fetch, under connect-src 'self'.
    tab.locator(".opblock-summary-path", has_text="/v1/policy").first.click()
    tab.locator("button.try-out__btn").first.click()
    tab.locator("button.execute").first.click()
    tab.wait_for_selector(".live-responses-table tr.response .response-col_status", timeout=30_000)
    assert (
        tab.locator(".live-responses-table tr.response .response-col_status").first.inner_text().strip()
        == "200"
    )
    assert csp_problems(problems) == []
    # The policy is live: an inline script that is not the page's own is refused.
    tab.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.append(s); }"
    )
    assert tab.evaluate("() => window.injected") is None
    tab.wait_for_timeout(200)
    assert csp_problems(problems), "an injected inline script should be refused and reported"


def test_dashboard_sign_in_page_works_under_its_csp(api, page):
    tab, problems = page
    response = tab.goto(f"http://{api.host}:{api.port}/dashboard")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert tab.locator("#key").is_visible()
    tab.fill("#key", "ppc_" + "x" * 32)
    tab.click("button[type=submit]")
    tab.wait_for_selector(".alert")
    assert csp_problems(problems) == []  # the signed-in pages: tests/e2e/test_dashboard_browser.py


@pytest.fixture(scope="module")
def far_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Gunicorn]]:
    """Two APIs on 127.0.0.2 (no host permission): default CORS_ORIGINS, and one leaving the extension out."""
    workdir = tmp_path_factory.mktemp("far-api")
    servers = {
        "default": Gunicorn(workdir / "default", {}, workers=1, host="127.0.0.2"),
        "portal-only": Gunicorn(
            workdir / "portal", {"CORS_ORIGINS": "https://portal.example"}, workers=1, host="127.0.0.2"
        ),
    }
    for server in servers.values():
        server.workdir.mkdir()
        server.start()
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def extension_worker(playwright_instance: Any, tmp_path: Path) -> Iterator[Any]:
    """The extension's service worker in a fresh Chromium profile."""
    context = playwright_instance.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", *CHROMIUM_ARGS],
    )
    worker = (
        context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    )
    yield worker, context
    context.close()


def cli_key(server: Gunicorn) -> str:
    """Create a check key in the server's embedded store."""
    from api.keys import Keys, SqliteKeyBackend
    from api.store import SQLITE_FILE, Store

    store = Store(None, server.workdir / "instance" / SQLITE_FILE)
    return Keys(SqliteKeyBackend(store)).create("browser", ("check",))


def test_extension_calls_the_api_through_cors(far_api, extension_worker, pages_url):  # noqa: F811
    worker, context = extension_worker
    default, portal_only = far_api["default"], far_api["portal-only"]
    key = cli_key(default)
    default_url = f"http://{default.host}:{default.port}"
    origin = worker.evaluate("() => self.location.origin")
    assert origin.startswith("chrome-extension://")
    assert not worker.evaluate("url => chrome.permissions.contains({origins: [url + '/*']})", default_url)

    answered = worker.evaluate(FETCH, [default_url, key])
    assert answered.get("status") == 200, answered
    assert "findings" in answered["body"] and answered["remaining"] is not None  # exposed header read

    refused = worker.evaluate(FETCH, [f"http://{portal_only.host}:{portal_only.port}", cli_key(portal_only)])
    assert "error" in refused and "Failed to fetch" in refused["error"], refused

    tab = context.new_page()
    tab.goto(f"{pages_url}/draft.html")
    from_page = tab.evaluate(FETCH, [default_url, key])
    assert "error" in from_page and "Failed to fetch" in from_page["error"], from_page
    page_preflight = '"method": "OPTIONS", "path": "/v1/check", "status": 403'
    log = default.wait_for_log(page_preflight)  # written after the answer the page already saw
    assert log.count('"method": "OPTIONS", "path": "/v1/check", "status": 204') >= 1  # the extension's
    assert log.count(page_preflight) >= 1  # the page's
    assert log.count('"method": "POST", "path": "/v1/check", "status": 200') == 1  # only the extension's

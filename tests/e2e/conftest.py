"""End-to-end fixtures: the real API on a free port, a page server, Chromium with the extension.

The API is the real app (``flask --app wsgi run``) started from the repository root; the fixture
pages model real composers; Chromium is Debian's (``make system-deps``) driven by Playwright with
the unpacked extension loaded from ``extension/src``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import pytest

from tests.conftest import CHROMIUM  # the one Playwright driver lives in tests/conftest.py too
from tests.processes import free_port, stop_process

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "extension" / "src"
PAGES = Path(__file__).resolve().parent / "pages"
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"

# The strict policy the CSP fixture page is served with: no inline script or style at all.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
CHECK_LINE = re.compile(r'"POST /v1/check HTTP/1\.[01]" (\d{3})')
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class ApiServer:
    """The real API running in a subprocess; its request log has no post text, only lines."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(cls, workdir: Path, **env: str) -> ApiServer:
        """Start ``flask --app wsgi run`` on a free port and wait until /readyz says ready."""
        port = free_port()
        log = workdir / f"api-{port}.log"
        environment = {**os.environ, "INSTANCE_PATH": str(workdir), "REDIS_URL": "", **env}
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
                [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port)],
                cwd=REPO,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = cls(f"http://127.0.0.1:{port}", process, log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited early:\n{log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{server.url}/readyz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return server
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        server.stop()
        raise RuntimeError("the API did not become ready in 120 s")

    def stop(self) -> None:
        """Stop the API process."""
        stop_process(self.process, grace=10)

    def check_statuses(self) -> list[int]:
        """Return the status of every POST /v1/check the API has answered, in order."""
        log = ANSI.sub("", self.log.read_text(errors="replace"))  # werkzeug colours error lines
        return [int(m.group(1)) for m in CHECK_LINE.finditer(log)]

    def policy(self) -> dict[str, Any]:
        """Return GET /v1/policy."""
        with urllib.request.urlopen(f"{self.url}/v1/policy", timeout=30) as response:  # noqa: S310
            return json.load(response)

    def check(self, text: str, platform: str = "other") -> dict[str, Any]:
        """Ask the API directly what it finds in ``text`` (the expected result of a test)."""
        request = urllib.request.Request(  # noqa: S310 - our own local API
            f"{self.url}/v1/check",
            data=json.dumps({"text": text, "platform": platform}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)


class FixturePageHandler(SimpleHTTPRequestHandler):
    """Serve tests/e2e/pages; csp*.html comes with a strict Content-Security-Policy header."""

    def end_headers(self) -> None:
        if self.path.split("?")[0].rsplit("/", 1)[-1].startswith("csp"):
            self.send_header("Content-Security-Policy", STRICT_CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep the test output quiet."""


class LoopbackServer:
    """A threaded HTTP server on a free loopback port for one ``with`` block; subclasses give the handler."""

    url: str = ""
    server: ThreadingHTTPServer | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """Return the request handler class."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


@dataclass
class JsonServer(LoopbackServer):
    """A tiny HTTP server answering fixed JSON: a hostile API for the rendering-safety test."""

    routes: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """Answer each route's fixed status and body; 404 elsewhere."""
        routes, hits = self.routes, self.hits

        class Handler(SimpleHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(f"{self.command} {self.path}")
                status, body = routes.get(
                    self.path, (404, {"code": 404, "status": "Not Found", "message": "no"})
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - stdlib naming
                self._answer()

            def do_POST(self) -> None:  # noqa: N802 - stdlib naming
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._answer()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The real API, with rate limits out of the way of the other tests."""
    server = ApiServer.start(
        tmp_path_factory.mktemp("api"), CHECK_RATE_LIMIT="100000/minute", RATELIMIT_ENABLED="false"
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    """Base URL of the fixture pages, served from 127.0.0.1 on a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(FixturePageHandler, directory=str(PAGES)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@dataclass
class Browser:
    """Chromium with the extension loaded, plus helpers to reach its service worker."""

    context: Any
    worker: Any
    pages_url: str

    def configure(self, **settings: Any) -> None:
        """Write settings the way the options page does (chrome.storage.sync)."""
        self.worker.evaluate("settings => chrome.storage.sync.set(settings)", settings)

    def storage(self) -> dict[str, Any]:
        """Return everything the extension has in chrome.storage (local, sync and session)."""
        return self.worker.evaluate(
            """async () => ({
                local: await chrome.storage.local.get(null),
                sync: await chrome.storage.sync.get(null),
                session: await chrome.storage.session.get(null),
            })"""
        )

    def open(self, name: str) -> Any:
        """Open a fixture page in a new tab and wait until the content script has loaded."""
        page = self.context.new_page()
        page.goto(f"{self.pages_url}/{name}")
        return page


@pytest.fixture
def make_browser(
    playwright_instance: Any, pages_url: str, api_server: ApiServer, tmp_path: Path
) -> Iterator[Callable[..., Browser]]:
    """Build a fresh Chromium profile with the extension; settings default to the test API."""
    contexts: list[Any] = []

    def make(**settings: Any) -> Browser:
        context = playwright_instance.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / f"profile-{len(contexts)}"),
            executable_path=CHROMIUM,
            headless=True,
            viewport={"width": 900, "height": 640},
            args=[
                f"--disable-extensions-except={EXTENSION}",
                f"--load-extension={EXTENSION}",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--lang=en-GB",
            ],
        )
        contexts.append(context)
        worker = (
            context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        )
        browser = Browser(context, worker, pages_url)
        browser.configure(**{"apiUrl": api_server.url, **settings})
        return browser

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser(make_browser: Callable[..., Browser]) -> Browser:
    """Chromium with the extension, pointed at the test API."""
    return make_browser()


def save_screenshot(page: Any, name: str, *, publish: bool = False, full_page: bool = False) -> Path:
    """Save a screenshot to test-artifacts/; with UPDATE_SCREENSHOTS=1 also to docs/screenshots/.

    The README's pictures change only when asked, so a test run leaves the work tree clean.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    if publish and os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / name)
    return path

"""The extension as shipped: minimal permissions, no HTML injection, a Firefox build that lints."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import EXTENSION

TOOLS = EXTENSION.parent
WEB_EXT = TOOLS / "node_modules" / ".bin" / "web-ext"
SUPPORTED_SITES = [
    "x.com",
    "twitter.com",
    "facebook.com",
    "instagram.com",
    "linkedin.com",
    "reddit.com",
    "web.whatsapp.com",
    "tiktok.com",
]


def manifest() -> dict:
    return json.loads((EXTENSION / "manifest.json").read_text())


def test_permissions_are_minimal() -> None:
    m = manifest()
    assert m["manifest_version"] == 3
    assert set(m["permissions"]) == {"storage", "scripting", "activeTab"}
    hosts = m["host_permissions"]
    assert not [h for h in hosts if "*://" in h or h == "<all_urls>" or h.startswith("https://*/")]
    # Broader access only on request, per site, from the popup.
    assert m["optional_host_permissions"] == ["*://*/*"]
    assert "content_security_policy" not in m  # the default extension CSP
    assert "web_accessible_resources" not in m


@pytest.mark.parametrize("site", SUPPORTED_SITES)
def test_content_script_runs_on_each_supported_site(site: str) -> None:
    m = manifest()
    (script,) = m["content_scripts"]
    assert any(site in pattern for pattern in script["matches"])
    # Every page the content script runs on is also a host the extension was granted.
    assert set(script["matches"]) <= set(m["host_permissions"])


@pytest.mark.parametrize(
    "construct",
    [
        r"\.innerHTML\b",
        r"\.outerHTML\b",
        r"insertAdjacentHTML",
        r"document\.write",
        r"\beval\(",
        r"new Function\(",
    ],
)
def test_no_html_parsing_of_data(construct: str) -> None:
    for path in EXTENSION.glob("*.js"):
        assert not re.search(construct, path.read_text()), f"{path.name} uses {construct}"


def test_only_the_service_worker_calls_the_api() -> None:
    for path in EXTENSION.glob("*.js"):
        uses_fetch = "fetch(" in path.read_text()
        assert uses_fetch == (path.name == "background.js"), path.name


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_firefox_build_passes_web_ext_lint() -> None:
    if not WEB_EXT.exists():
        pytest.skip("web-ext is not installed: run `make extension-deps` (npm ci in extension/)")
    subprocess.run(["node", "build-firefox.mjs"], cwd=TOOLS, check=True, capture_output=True)  # noqa: S607
    built = json.loads((TOOLS / "dist" / "firefox" / "manifest.json").read_text())
    assert built["background"] == {"scripts": ["common.js", "background.js"]}
    assert built["browser_specific_settings"]["gecko"]["id"]
    result = subprocess.run(  # noqa: S603
        [str(WEB_EXT), "lint", "--source-dir", "dist/firefox", "--output", "json", "--no-config-discovery"],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout[result.stdout.index("{") :])
    messages = [
        f"{m['code']}: {m['message']}" for kind in ("errors", "warnings", "notices") for m in report[kind]
    ]
    assert report["summary"] == {"errors": 0, "notices": 0, "warnings": 0}, messages
    assert (
        Path(TOOLS / "dist" / "firefox" / "content.js").read_text() == (EXTENSION / "content.js").read_text()
    )

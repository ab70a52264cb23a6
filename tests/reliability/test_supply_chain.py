"""Known vulnerabilities in what the pinned requirements install (pip-audit, PyPI's advisory data).

pip-audit audits every distribution installed in the venv (the pins and what they pull in) against
PyPI's per-release vulnerability data. Where that lookup cannot be made (this network answers 404
for PyPI's per-release JSON pages), the test falls back to PyPI's project pages, whose
``vulnerabilities`` list is that of the latest release: a distribution installed at its latest
release is checked that way, an older one is reported as not audited. Any known vulnerability
fails the test unless ``ACCEPTED`` names it with a reason; with PyPI unreachable altogether the
test is skipped, saying so. What was audited, and how, goes to test-artifacts/reliability/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from typing import Any

import pytest
import requests

from tests.reliability.server import REPO

#: Vulnerability ids accepted after review, each with the reason (none so far).
ACCEPTED: dict[str, str] = {}
PROJECT_URL = "https://pypi.org/pypi/{name}/json"


def pip_audit() -> list[dict[str, Any]]:
    """Run pip-audit over the venv; return its dependency records (name, version, vulns or skip_reason)."""
    done = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: vulnerabilities found
    return json.loads(done.stdout)["dependencies"]


def installed_version(name: str) -> str:
    """Return the version of ``name`` installed in this venv (the one pip-audit looked at)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def latest_release_vulns(name: str, version: str) -> tuple[str, list[dict[str, Any]]]:
    """Return how ``name==version`` was audited from its PyPI project page, and its vulnerabilities."""
    try:
        response = requests.get(PROJECT_URL.format(name=name), timeout=30)
    except requests.RequestException:
        return "unreachable", []
    if response.status_code != 200:
        return "not on PyPI", []
    project = response.json()
    if project["info"]["version"] != version:
        return f"not audited (latest is {project['info']['version']})", []
    return "latest release", project.get("vulnerabilities") or []


def test_installed_requirements_have_no_known_vulnerabilities(record):
    audited: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    skipped = []
    for dependency in pip_audit():
        name = dependency["name"]
        version = dependency.get("version") or installed_version(name)  # skip records name no version
        if "skip_reason" in dependency:
            skipped.append((name, version))
            continue
        audited[f"{name}=={version}"] = "pip-audit"
        ids = [vuln["id"] for vuln in dependency["vulns"] if vuln["id"] not in ACCEPTED]
        if ids:
            found[f"{name}=={version}"] = ids
    with ThreadPoolExecutor(max_workers=8) as pool:
        fallback = list(pool.map(lambda nv: (nv, latest_release_vulns(*nv)), skipped))
    for (name, version), (how, vulns) in fallback:
        audited[f"{name}=={version}"] = how
        ids = [vuln["id"] for vuln in vulns if vuln["id"] not in ACCEPTED]
        if ids:
            found[f"{name}=={version}"] = ids
    checked = sorted(d for d, how in audited.items() if how in ("pip-audit", "latest release"))
    record(
        {
            "distributions": len(audited),
            "checked": len(checked),
            "by": {how: sum(h == how for h in audited.values()) for how in sorted(set(audited.values()))},
            "not_checked": sorted(d for d in audited if d not in checked),
            "vulnerable": found,
        }
    )
    assert found == {}, f"known vulnerabilities: {found}; upgrade the pins or accept them in ACCEPTED"
    if not checked:
        pytest.skip("PyPI's vulnerability data was unreachable: nothing could be audited")

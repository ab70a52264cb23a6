"""Security: who may call what (every endpoint × every kind of bad key), CORS, headers, body caps, logs.

Keys are tested on both stores (SQLite and a real redis-server), with real HTTP headers through
the Flask test client; the browser side of CORS and CSP is in ``tests/reliability/test_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.cli import keys_cli
from api.config import load_config
from api.keys import get_keys, new_secret
from api.security import origin_pattern

EXTENSION_CHROME = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
EXTENSION_FIREFOX = "moz-extension://0d5b6f53-8e0b-4b4e-9a43-2f8c1a7e9b10"
WEB_PAGE = "https://evil.example"
EVENT = {"event": "warning_shown", "categories": ["personal_data"]}
HELLO = {"text": "Lovely weather in Almaty today"}


# --- the auth matrix ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One route as a client calls it, and what a key must have there."""

    method: str
    path: str
    body: dict[str, Any] | None
    scope: str | None  # None: no scope needed, but a key that is sent must be valid
    anonymous: bool  # may be called without a key
    ok: int
    checks_keys: bool = True  # False only for the probes, which ignore the header


ENDPOINTS = {
    "check.check": Endpoint("POST", "/v1/check", HELLO, "check", True, 200),
    "check.check_batch": Endpoint(
        "POST", "/v1/check/batch", {"items": [{"id": "a", **HELLO}]}, "check", True, 200
    ),
    "stats.events": Endpoint("POST", "/v1/events", EVENT, "check", True, 204),
    "stats.stats": Endpoint("GET", "/v1/stats", None, "stats", False, 200),
    "policy.policy": Endpoint("GET", "/v1/policy", None, None, True, 200),
    "api-docs.openapi_json": Endpoint("GET", "/openapi.json", None, None, True, 200),
    "api-docs.openapi_swagger_ui": Endpoint("GET", "/docs", None, None, True, 200),
    "health.healthz": Endpoint("GET", "/healthz", None, None, True, 200, checks_keys=False),
    "health.readyz": Endpoint("GET", "/readyz", None, None, True, 200, checks_keys=False),
}
#: Routes covered elsewhere: static files, and the dashboard (a session, not a bearer key; below).
OTHER_ENDPOINTS = ("static", "docs_assets.", "dashboard.")

#: Authorization headers that are not "Bearer <a key of ours>".
MALFORMED = {
    "basic": lambda key: "Basic " + base64.b64encode(b"office:" + key.encode()).decode(),
    "no-scheme": lambda key: key,
    "empty-bearer": lambda key: "Bearer ",
    "token-scheme": lambda key: f"Token {key}",
    "short": lambda key: f"Bearer {key[:-1]}",
    "long": lambda key: f"Bearer {key}x",
    "two-keys": lambda key: f"Bearer {key} {key}",
    "non-ascii": lambda key: f"Bearer {key[:-1]}é",
}
VARIANTS = ("missing", *(f"malformed:{m}" for m in MALFORMED), "wrong", "revoked", "other-scope", "right")


@dataclass
class Matrix:
    """An app with a key of each scope and a revoked one."""

    app: Flask
    client: FlaskClient
    keys: dict[str, str]  # scope or "revoked" -> key

    def header(self, variant: str, endpoint: Endpoint) -> str | None:
        """Return the Authorization header the variant sends to ``endpoint``."""
        needed = endpoint.scope or "check"
        other = "stats" if needed == "check" else "check"
        if variant == "missing":
            return None
        if variant.startswith("malformed:"):
            return MALFORMED[variant.partition(":")[2]](self.keys[needed])
        secret = {
            "wrong": new_secret(),
            "revoked": self.keys["revoked"],
            "other-scope": self.keys[other],
            "right": self.keys[needed],
        }[variant]
        return f"Bearer {secret}"


def expected_status(endpoint: Endpoint, variant: str) -> int:
    """Return the status a caller sending ``variant`` must get from ``endpoint``."""
    if not endpoint.checks_keys or variant == "right":
        return endpoint.ok
    if variant == "missing":
        return endpoint.ok if endpoint.anonymous else 401
    if variant == "other-scope":
        return endpoint.ok if endpoint.scope is None else 403
    return 401  # malformed, wrong, revoked


@pytest.fixture(params=["sqlite", "redis"])
def matrix(request, app_factory) -> Matrix:
    """A fresh app on each key store, rate limits out of the way."""
    backend = {"REDIS_URL": request.getfixturevalue("redis_url")} if request.param == "redis" else {}
    app = app_factory(CHECK_RATE_LIMIT="10000/minute", KEY_RATE_LIMIT="10000/minute", **backend)
    keys = get_keys(app)
    secrets = {
        "check": keys.create("extension", ("check",)),
        "stats": keys.create("office", ("stats",)),
        "revoked": keys.create("former", ("check", "stats")),
    }
    assert keys.verify(secrets["revoked"]) is not None  # seen once: revoking must still shut it out
    assert keys.revoke("former")
    return Matrix(app, app.test_client(), secrets)


def test_the_matrix_covers_every_route(app):
    served = {
        rule.endpoint for rule in app.url_map.iter_rules() if not rule.endpoint.startswith(OTHER_ENDPOINTS)
    }
    assert served == set(ENDPOINTS), "classify a new route in ENDPOINTS"


def assert_error_body(response, status: int) -> None:
    """Assert our JSON error contract, and nothing else, in an error response."""
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"code", "status", "message"}
    assert body["code"] == status and body["message"]
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="pre-post-check"'


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_auth_matrix(matrix, name, variant):
    endpoint = ENDPOINTS[name]
    header = matrix.header(variant, endpoint)
    headers = {} if header is None else {"Authorization": header}
    response = matrix.client.open(endpoint.path, method=endpoint.method, json=endpoint.body, headers=headers)
    status = expected_status(endpoint, variant)
    assert response.status_code == status, response.get_data(as_text=True)
    if status >= 400:
        assert_error_body(response, status)
        # Nothing about the key comes back: not the key, not whose it was.
        text = response.get_data(as_text=True)
        assert all(secret not in text for secret in matrix.keys.values())
        assert "former" not in text and "office" not in text and "extension" not in text


def csrf_of(page: str) -> str:
    """Return the dashboard form's CSRF token."""
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "the page has no form token"
    return match.group(1)


@pytest.mark.parametrize(
    ("variant", "status"),
    [
        ("missing", 401),
        ("malformed", 401),
        ("wrong", 401),
        ("revoked", 401),
        ("other-scope", 403),
        ("right", 303),
    ],
)
def test_dashboard_sign_in_and_data_need_a_live_stats_key(matrix, variant, status):
    client = matrix.client
    key = {
        "missing": "",
        "malformed": f"Bearer {matrix.keys['stats']}",
        "wrong": new_secret(),
        "revoked": matrix.keys["revoked"],
        "other-scope": matrix.keys["check"],
        "right": matrix.keys["stats"],
    }[variant]
    token = csrf_of(client.get("/dashboard").get_data(as_text=True))
    signed_in = client.post("/dashboard/login", data={"key": key, "csrf": token})
    assert signed_in.status_code == status
    csv_download = client.get("/dashboard/stats.csv")
    page = client.get("/dashboard").get_data(as_text=True)
    if variant == "right":
        assert csv_download.status_code == 200 and csv_download.mimetype == "text/csv"
        assert "chart-categories" in page
        # Revoked while signed in: the next request finds no data.
        assert get_keys(matrix.app).revoke("office")
        assert client.get("/dashboard/stats.csv").status_code == 303
        assert "chart-categories" not in client.get("/dashboard").get_data(as_text=True)
    else:
        assert csv_download.status_code == 303 and csv_download.headers["Location"].endswith("/dashboard")
        assert "chart-categories" not in page and 'name="key"' in page


# --- CORS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origins", "origin", "allowed"),
    [
        (("chrome-extension://*", "moz-extension://*"), EXTENSION_CHROME, True),
        (("chrome-extension://*", "moz-extension://*"), EXTENSION_FIREFOX, True),
        (("chrome-extension://*", "moz-extension://*"), WEB_PAGE, False),
        (("chrome-extension://*", "moz-extension://*"), "http://127.0.0.1:8000", False),
        (("chrome-extension://*", "moz-extension://*"), "null", False),
        (("chrome-extension://*", "moz-extension://*"), "chrome-extension://", False),
        (("chrome-extension://*", "moz-extension://*"), "chrome-extension://abc.evil.example", False),
        (("chrome-extension://*", "moz-extension://*"), "chrome-extension://abc/x", False),
        (("chrome-extension://*", "moz-extension://*"), "xchrome-extension://abc", False),
        (("chrome-extension://*", "moz-extension://*"), "chrome-extension://abc\nx", False),
        ((EXTENSION_CHROME,), EXTENSION_CHROME, True),
        ((EXTENSION_CHROME,), "chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", False),
        (("https://*.dmu.ac.uk",), "https://portal.dmu.ac.uk", True),
        (("https://*.dmu.ac.uk",), "https://a.b.dmu.ac.uk", False),
        (("https://*.dmu.ac.uk",), "https://dmu.ac.uk.evil.example", False),
        (("https://portal.dmu.ac.uk/",), "https://portal.dmu.ac.uk", True),
        (("*",), WEB_PAGE, True),
        ((), EXTENSION_CHROME, False),
    ],
)
def test_origin_patterns(origins, origin, allowed):
    pattern = origin_pattern(origins)
    assert (pattern is not None and pattern.fullmatch(origin) is not None) is allowed


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("chrome-extension://*", "moz-extension://*")),
        ({"CORS_ORIGINS": ""}, ("chrome-extension://*", "moz-extension://*")),
        (
            {"CORS_ORIGINS": f" {EXTENSION_CHROME} , https://portal.dmu.ac.uk"},
            (EXTENSION_CHROME, "https://portal.dmu.ac.uk"),
        ),
    ],
)
def test_cors_origins_come_from_the_environment(env, expected):
    assert load_config(env)["CORS_ORIGINS"] == expected


def preflight(client: FlaskClient, origin: str, path: str = "/v1/check", method: str = "POST"):
    """Send the preflight a browser sends before a keyed JSON request."""
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )


@pytest.mark.parametrize("origin", [EXTENSION_CHROME, EXTENSION_FIREFOX])
@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/v1/check", "POST"),
        ("/v1/check/batch", "POST"),
        ("/v1/events", "POST"),
        ("/v1/stats", "GET"),
        ("/v1/policy", "GET"),
        ("/healthz", "GET"),
    ],
)
def test_extension_preflight_is_allowed(client, origin, path, method):
    response = preflight(client, origin, path, method)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert method in response.headers["Access-Control-Allow-Methods"].split(", ")
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers  # keys, never cookies


@pytest.mark.parametrize("origin", [WEB_PAGE, "http://127.0.0.1:8000", "null"])
def test_web_page_preflight_is_refused(client, origin):
    response = preflight(client, origin)
    assert response.status_code == 403
    assert_error_body(response, 403)
    assert not [h for h in response.headers.keys() if h.startswith("Access-Control-Allow")]


def test_preflights_need_no_key_and_cost_no_quota(app_factory):
    client = app_factory(CHECK_RATE_LIMIT="2/minute").test_client()
    for _ in range(5):
        assert preflight(client, EXTENSION_CHROME).status_code == 204
    assert client.post("/v1/check", json=HELLO).headers["X-RateLimit-Remaining"] == "1"


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"json": HELLO}, 200),
        ({"json": {"text": ""}}, 422),
        ({"json": HELLO, "headers": {"Authorization": "Bearer ppc_nope"}}, 401),
    ],
)
def test_extension_can_read_answers_and_errors(app_factory, request_kwargs, status):
    client = app_factory(CHECK_RATE_LIMIT="1/minute").test_client()
    headers = {"Origin": EXTENSION_CHROME, **request_kwargs.pop("headers", {})}
    response = client.post("/v1/check", headers=headers, **request_kwargs)
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_CHROME
    if status == 200:  # then the quota is used up: the 429 must be readable too, with Retry-After
        response = client.post("/v1/check", headers=headers, json=HELLO)
        assert response.status_code == 429
        assert response.headers["Access-Control-Allow-Origin"] == EXTENSION_CHROME
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Retry-After", "X-RateLimit-Remaining"} <= exposed


@pytest.mark.parametrize("path", ["/v1/check", "/v1/policy", "/readyz"])
def test_web_pages_get_no_cors_headers(client, path):
    response = client.open(
        path, method="POST" if path == "/v1/check" else "GET", json=HELLO, headers={"Origin": WEB_PAGE}
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize("path", ["/dashboard", "/docs", "/openapi.json"])
def test_pages_are_same_origin_only(client, path):
    response = client.get(path, headers={"Origin": EXTENSION_CHROME})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert preflight(client, EXTENSION_CHROME, path, "GET").status_code != 204


def test_cors_origins_setting_replaces_the_default(app_factory):
    client = app_factory(CORS_ORIGINS=("https://portal.dmu.ac.uk",)).test_client()
    assert preflight(client, "https://portal.dmu.ac.uk").status_code == 204
    assert preflight(client, EXTENSION_CHROME).status_code == 403


# --- headers on every response ------------------------------------------------------------------


REQUESTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "check": ("POST", "/v1/check", {"json": HELLO}),
    "batch": ("POST", "/v1/check/batch", {"json": {"items": [{"id": "a", **HELLO}]}}),
    "events": ("POST", "/v1/events", {"json": EVENT}),
    "policy": ("GET", "/v1/policy", {}),
    "openapi": ("GET", "/openapi.json", {}),
    "docs": ("GET", "/docs", {}),
    "docs-asset": ("GET", "/docs/assets/swagger-ui.css", {}),
    "dashboard": ("GET", "/dashboard", {}),
    "chart-library": ("GET", "/static/vendor/chart.js-4.6.1/chart.umd.min.js", {}),
    "healthz": ("GET", "/healthz", {}),
    "preflight": (
        "OPTIONS",
        "/v1/check",
        {"headers": {"Origin": EXTENSION_CHROME, "Access-Control-Request-Method": "POST"}},
    ),
    "401": ("GET", "/v1/stats", {}),
    "404": ("GET", "/nowhere", {}),
    "405": ("GET", "/v1/check", {}),
    "413": ("POST", "/v1/events", {"data": b"{" + b" " * 5000 + b"}", "content_type": "application/json"}),
    "415": ("POST", "/v1/check", {"data": "text", "content_type": "text/plain"}),
    "422": ("POST", "/v1/check", {"json": {"text": ""}}),
}


@pytest.fixture
def header_client(app_factory) -> FlaskClient:
    return app_factory().test_client()


@pytest.mark.parametrize("name", REQUESTS)
def test_security_headers_on_every_response(header_client, name):
    method, path, kwargs = REQUESTS[name]
    with header_client.open(path, method=method, **kwargs) as response:  # closes file responses
        status = response.status_code
    if name.isdigit():
        assert status == int(name)
    else:
        assert status < 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "Server" not in response.headers  # the app adds no banner (gunicorn's: tests/reliability)
    assert "Strict-Transport-Security" not in response.headers  # only over HTTPS


def test_json_answers_may_load_nothing(header_client):
    csp = header_client.post("/v1/check", json=HELLO).headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'")


def test_dashboard_keeps_its_own_policy(header_client):
    csp = header_client.get("/dashboard").headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "form-action 'self'" in csp


def test_docs_policy_allows_exactly_its_inline_script(header_client):
    response = header_client.get("/docs")
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    csp = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp


def test_hsts_over_https(app_factory):
    client = app_factory().test_client()
    response = client.get("/healthz", base_url="https://prepost.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- request size caps ---------------------------------------------------------------------------


MIB = 1024 * 1024


def padded(body: dict[str, Any], size: int) -> bytes:
    """Return ``body`` as JSON padded with spaces to exactly ``size`` bytes."""
    raw = json.dumps(body).encode()
    assert len(raw) <= size
    return raw[:-1] + b" " * (size - len(raw)) + raw[-1:]


@pytest.mark.parametrize(
    ("path", "body", "size", "status"),
    [
        ("/v1/check", HELLO, MIB, 200),
        ("/v1/check", HELLO, MIB + 1, 413),
        ("/v1/check/batch", {"items": [{"id": "a", **HELLO}]}, MIB, 200),
        ("/v1/check/batch", {"items": [{"id": "a", **HELLO}]}, MIB + 1, 413),
        ("/v1/events", EVENT, 4096, 204),
        ("/v1/events", EVENT, 4097, 413),
        ("/v1/events", EVENT, MIB, 413),
    ],
)
def test_body_caps(app_factory, path, body, size, status):
    client = app_factory().test_client()
    response = client.post(path, data=padded(body, size), content_type="application/json")
    assert response.status_code == status
    if status == 413:
        assert_error_body(response, 413)


def test_event_cap_is_configurable(app_factory):
    client = app_factory(MAX_EVENT_BYTES=200).test_client()
    assert (
        client.post("/v1/events", data=padded(EVENT, 200), content_type="application/json").status_code == 204
    )
    assert (
        client.post("/v1/events", data=padded(EVENT, 201), content_type="application/json").status_code == 413
    )


def test_dashboard_form_is_capped(client):
    response = client.post("/dashboard/login", data={"key": "k" * (MIB + 10), "csrf": "x"})
    assert response.status_code == 413


# --- no key in the logs ------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "redis"])
def logged_app(request, app_factory) -> Flask:
    backend = {"REDIS_URL": request.getfixturevalue("redis_url")} if request.param == "redis" else {}
    return app_factory(**backend)


def test_no_key_reaches_the_logs(logged_app, caplog):
    caplog.set_level(logging.DEBUG)
    app = logged_app
    runner = app.test_cli_runner()
    created = runner.invoke(keys_cli, ["create", "--name", "leaky", "--scope", "check", "--scope", "stats"])
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("ppc_")
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    near_misses = [secret[:-1] + ("A" if secret[-1] != "A" else "B"), secret + "x", secret[:-1]]

    assert client.post("/v1/check", json=HELLO, headers=bearer).status_code == 200
    assert client.get("/v1/stats", headers=bearer).status_code == 200
    assert client.get(f"/v1/policy?key={secret}", headers=bearer).status_code == 200
    for miss in near_misses:
        assert (
            client.post("/v1/check", json=HELLO, headers={"Authorization": f"Bearer {miss}"}).status_code
            == 401
        )
    assert client.post("/v1/check", json=HELLO, headers={"Authorization": secret}).status_code == 401
    token = csrf_of(client.get("/dashboard").get_data(as_text=True))
    assert client.post("/dashboard/login", data={"key": secret, "csrf": token}).status_code == 303
    token = csrf_of(client.get("/dashboard").get_data(as_text=True))  # signing in made a new one
    assert client.post("/dashboard/login", data={"key": near_misses[0], "csrf": token}).status_code == 401
    revoked = runner.invoke(keys_cli, ["revoke", "leaky"])
    assert revoked.exit_code == 0, revoked.output
    assert client.post("/v1/check", json=HELLO, headers=bearer).status_code == 401
    assert client.get("/v1/stats", headers=bearer).status_code == 401

    assert len(caplog.records) >= 10, "expected request logs to scan"
    logged = "\n".join(
        [record.getMessage() for record in caplog.records]
        + [repr(record.__dict__) for record in caplog.records]
    )
    for leaked in (secret, *near_misses, secret[4:], secret[-16:]):
        assert leaked not in logged

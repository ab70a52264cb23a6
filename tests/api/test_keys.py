"""API keys: format, hashing, the two stores, the CLI, bearer authentication and scopes."""

from __future__ import annotations

import hashlib
import string

import pytest
from flask import Flask

from api.auth import require_scope
from api.keys import KEY_PREFIX, KeyRequestError, digest, get_keys, new_secret
from api.store import limiter_storage_uri, redis_from_url, sqlite_path
from tests.api.conftest import bearer

HELLO = {"text": "Lovely weather in Almaty today"}


# --- key format and hashing -------------------------------------------------------------------


def test_new_keys_have_the_prefix_and_32_url_safe_random_characters():
    first, second = new_secret(), new_secret()
    assert first != second
    for secret in (first, second):
        assert secret.startswith(KEY_PREFIX)
        body = secret.removeprefix(KEY_PREFIX)
        assert len(body) == 32
        assert set(body) <= set(string.ascii_letters + string.digits + "-_")


def test_digest_is_sha256_hex_of_the_key():
    assert digest("ppc_abc") == hashlib.sha256(b"ppc_abc").hexdigest()
    assert digest("ppc_abc") != digest("ppc_abd")


# --- the stores ------------------------------------------------------------------------------


def test_create_list_verify_revoke(app_factory, backend):
    keys = get_keys(app_factory(**backend))
    secret = keys.create("moodle", ("check",), "10/minute")
    [listed] = keys.list()
    assert (listed.name, listed.scopes, listed.limit) == ("moodle", ("check",), "10/minute")
    assert keys.verify(secret) == listed
    assert keys.revoke("moodle") is True
    assert keys.verify(secret) is None
    assert keys.list() == []
    assert keys.revoke("moodle") is False


def test_only_the_hash_is_stored(app_factory, backend, redis_server):
    app = app_factory(**backend)
    secret = get_keys(app).create("bot", ("check", "stats"))
    if backend:
        client = redis_server.client()
        stored = b"".join(k + b"".join(client.hgetall(k).values()) for k in client.keys("ppc:*"))
    else:
        stored = sqlite_path(app).read_bytes()
    assert digest(secret).encode() in stored
    assert secret.encode() not in stored
    assert secret.removeprefix(KEY_PREFIX).encode() not in stored


@pytest.mark.parametrize(
    ("name", "scopes", "limit", "valid"),
    [
        ("moodle-plugin", ("check",), None, True),
        ("privacy.office_2", ("stats",), "100/hour", True),
        ("both", ("check", "stats"), "600/minute;20/second", True),
        ("", ("check",), None, False),
        ("has space", ("check",), None, False),
        ("x" * 65, ("check",), None, False),
        ("émoji", ("check",), None, False),
        ("nothing", (), None, False),
        ("admin", ("admin",), None, False),
        ("bad-limit", ("check",), "lots", False),
        ("bad-limit2", ("check",), "10/fortnight", False),
    ],
)
def test_create_validates_name_scopes_and_limit(app_factory, name, scopes, limit, valid):
    keys = get_keys(app_factory())
    if valid:
        assert keys.create(name, scopes, limit).startswith(KEY_PREFIX)
    else:
        with pytest.raises(KeyRequestError):
            keys.create(name, scopes, limit)


def test_names_are_unique_until_revoked(app_factory, backend):
    keys = get_keys(app_factory(**backend))
    keys.create("bot", ("check",))
    with pytest.raises(KeyRequestError, match="exists"):
        keys.create("bot", ("stats",))
    keys.revoke("bot")
    assert keys.create("bot", ("stats",)).startswith(KEY_PREFIX)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # one character off
        lambda s: s[:-1],  # too short
        lambda s: s + "x",  # too long
        lambda s: "xyz_" + s.removeprefix(KEY_PREFIX),  # wrong prefix, right length
        lambda s: s.upper(),
        lambda s: "",
    ],
)
def test_near_miss_keys_do_not_verify(app_factory, backend, mangle):
    keys = get_keys(app_factory(**backend))
    secret = keys.create("bot", ("check",))
    assert keys.verify(mangle(secret)) is None
    assert keys.verify(secret) is not None


# --- REDIS_URL forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "memory://"),
        ("redis://cache:6379/0", "redis://cache:6379/0"),
        ("rediss://:pw@cache:6380", "rediss://:pw@cache:6380"),
        ("unix:///run/redis.sock", "redis+unix:///run/redis.sock"),
        ("redis+sentinel://s1:26379,s2:26379/mymaster", "redis+sentinel://s1:26379,s2:26379/mymaster"),
        ("redis+cluster://n1:7000,n2:7001", "redis+cluster://n1:7000,n2:7001"),
    ],
)
def test_limiter_storage_follows_redis_url(url, expected):
    assert limiter_storage_uri(url) == expected


@pytest.mark.parametrize(
    ("url", "pool_class", "location"),
    [
        ("redis://127.0.0.1:6399/2", "ConnectionPool", ("127.0.0.1", 6399)),
        ("redis+unix:///tmp/none.sock", "ConnectionPool", None),
        ("redis+sentinel://:secret@127.0.0.1:26399,127.0.0.2:26400/mymaster", "SentinelConnectionPool", None),
    ],
)
def test_redis_clients_are_built_without_connecting(url, pool_class, location):
    client = redis_from_url(url, timeout=0.2)
    pool = client.connection_pool
    assert type(pool).__name__ == pool_class
    kwargs = pool.connection_kwargs
    assert kwargs["socket_timeout"] == 0.2
    if location:
        assert (kwargs["host"], kwargs["port"]) == location
    if "sentinel" in url:
        assert pool.service_name == "mymaster"
        assert [(c.connection_pool.connection_kwargs["host"]) for c in pool.sentinel_manager.sentinels] == [
            "127.0.0.1",
            "127.0.0.2",
        ]
        assert kwargs["password"] == "secret"  # noqa: S105 - the password in the URL above


@pytest.mark.parametrize(
    "url",
    [
        "redis+sentinel://127.0.0.1:26379",
        "redis+sentinel://127.0.0.1/mymaster",
        "redis+cluster://node-without-port",
    ],
)
def test_incomplete_sentinel_and_cluster_urls_are_refused(url):
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_from_url(url, timeout=0.2)


# --- bearer authentication on the API --------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("Bearer {key}", 200),
        ("bearer {key}", 200),
        ("Bearer   {key}  ", 200),
        ("Bearer {key}x", 401),
        ("Bearer ppc_" + "A" * 32, 401),
        ("Bearer ", 401),
        ("Basic {key}", 401),
        ("{key}", 401),
        ("Token {key}", 401),
    ],
)
def test_bearer_header_forms(app_factory, backend, header, status):
    app = app_factory(**backend)
    secret = get_keys(app).create("bot", ("check",))
    response = app.test_client().post(
        "/v1/check", json=HELLO, headers={"Authorization": header.format(key=secret)}
    )
    assert response.status_code == status
    if status == 401:
        body = response.get_json()
        assert body["code"] == 401 and body["status"] == "Unauthorized" and body["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert secret not in response.get_data(as_text=True)


def test_no_key_is_fine_for_check(client):
    assert client.post("/v1/check", json=HELLO).status_code == 200


@pytest.mark.parametrize(
    ("scopes", "check_status"),
    [(("check",), 200), (("check", "stats"), 200), (("stats",), 403)],
)
def test_check_needs_the_check_scope(app_factory, scopes, check_status):
    app = app_factory()
    secret = get_keys(app).create("bot", scopes)
    client = app.test_client()
    assert client.post("/v1/check", json=HELLO, headers=bearer(secret)).status_code == check_status
    batch = {"items": [{"id": "1", **HELLO}]}
    assert client.post("/v1/check/batch", json=batch, headers=bearer(secret)).status_code == check_status


def _app_with_stats_route(app_factory) -> Flask:
    app = app_factory()
    app.add_url_rule("/stats-probe", "stats_probe", require_scope("stats")(lambda: {"ok": True}))
    return app


@pytest.mark.parametrize(
    ("scopes", "status"),
    [(None, 401), (("check",), 403), (("stats",), 200), (("check", "stats"), 200)],
)
def test_require_scope_without_anonymous_access(app_factory, scopes, status):
    app = _app_with_stats_route(app_factory)
    headers = bearer(get_keys(app).create("someone", scopes)) if scopes else {}
    response = app.test_client().get("/stats-probe", headers=headers)
    assert response.status_code == status
    if status != 200:
        assert response.get_json()["code"] == status


def test_health_probes_ignore_a_wrong_key(client):
    for path in ("/healthz", "/readyz"):
        assert client.get(path, headers=bearer("ppc_wrong")).status_code == 200


# --- the CLI: keys created there are seen by a running server, survive restarts, revoke at once ---


def test_cli_create_list_revoke_against_a_separate_server_app(app_factory, backend):
    cli_app = app_factory(**backend)
    runner = cli_app.test_cli_runner()
    created = runner.invoke(
        args=["keys", "create", "--name", "lms", "--scope", "check", "--limit", "50/minute"]
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith(KEY_PREFIX) and len(secret) == 36

    listed = runner.invoke(args=["keys", "list"])
    assert "lms" in listed.output and "50/minute" in listed.output and secret not in listed.output

    server = app_factory(**backend).test_client()  # a fresh app: a restarted or separate server
    response = server.post("/v1/check", json=HELLO, headers=bearer(secret))
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "50"

    revoked = runner.invoke(args=["keys", "revoke", "lms"])
    assert revoked.exit_code == 0, revoked.output
    assert server.post("/v1/check", json=HELLO, headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keys", "create", "--name", "x"], "--scope"),
        (["keys", "create", "--name", "x", "--scope", "admin"], "admin"),
        (["keys", "create", "--name", "bad name", "--scope", "check"], "Name must be"),
        (["keys", "create", "--name", "x", "--scope", "check", "--limit", "many"], "not a rate limit"),
        (["keys", "create", "--name", "taken", "--scope", "check"], "exists"),
        (["keys", "revoke", "nobody"], "No key named"),
    ],
)
def test_cli_refuses_bad_requests(app_factory, args, message):
    app = app_factory()
    get_keys(app).create("taken", ("check",))
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert KEY_PREFIX not in result.output

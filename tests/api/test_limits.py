"""Rate limits: per IP and per key, 429 contract, proxies, shared across processes, Redis outages."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from api.keys import get_keys
from tests.api.conftest import bearer
from tests.processes import free_port
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
HELLO = {"text": "Lovely weather in Almaty today"}
FALLBACK_WARNING = "falling back to in-memory storage"


def assert_rate_limited(response, limit: int) -> None:
    """Assert the 429 contract: our JSON error body and the four headers."""
    assert response.status_code == 429
    body = response.get_json()
    assert body["code"] == 429
    assert body["status"] == "Too Many Requests"
    assert f"{limit} per 1 minute" in body["message"]
    assert set(body) <= {"code", "status", "message", "errors"}
    assert response.headers["X-RateLimit-Limit"] == str(limit)
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert time.time() < int(response.headers["X-RateLimit-Reset"]) <= time.time() + 61


# --- limits in one process -------------------------------------------------------------------


def test_redis_replies_are_parsed_by_hiredis(app_factory, redis_url):
    """Keys, limits and statistics talk to Redis through hiredis's C parser (requirements.txt):
    a check with limits on makes four round trips, and the pure-Python parser costs more CPU."""
    from api.extensions import limiter
    from api.store import get_store

    app = app_factory(REDIS_URL=redis_url)
    clients = {"store": get_store(app).redis, "limits": limiter.storage.get_connection()}
    for name, client in clients.items():
        connection = client.connection_pool.get_connection()
        try:
            assert type(connection._parser).__name__ == "_HiredisParser", name
        finally:
            client.connection_pool.release(connection)


def test_anonymous_limit_per_ip_and_429_contract(app_factory, backend):
    client = app_factory(CHECK_RATE_LIMIT="3/minute", **backend).test_client()
    remaining = [client.post("/v1/check", json=HELLO).headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    assert_rate_limited(client.post("/v1/check", json=HELLO), 3)
    # Another client IP has its own budget.
    other = client.post("/v1/check", json=HELLO, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_each_key_has_its_own_limit(app_factory, backend):
    app = app_factory(CHECK_RATE_LIMIT="5/minute", KEY_RATE_LIMIT="4/minute", **backend)
    tight = get_keys(app).create("tight", ("check",), "2/minute")
    default = get_keys(app).create("default", ("check",))
    client = app.test_client()

    assert [client.post("/v1/check", json=HELLO, headers=bearer(tight)).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert_rate_limited(client.post("/v1/check", json=HELLO, headers=bearer(tight)), 2)
    statuses = [client.post("/v1/check", json=HELLO, headers=bearer(default)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Keyed traffic does not use up the anonymous budget of the same IP.
    assert client.post("/v1/check", json=HELLO).headers["X-RateLimit-Remaining"] == "4"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_probes_are_never_limited(app_factory, path):
    client = app_factory(CHECK_RATE_LIMIT="1/minute").test_client()
    client.post("/v1/check", json=HELLO)
    assert client.post("/v1/check", json=HELLO).status_code == 429
    for _ in range(5):
        response = client.get(path)
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response.headers


@pytest.mark.parametrize(
    ("trusted", "forwarded", "second_status"),
    [
        (0, ("203.0.113.1", "203.0.113.2"), 429),  # not trusted: spoofing gains nothing
        (1, ("203.0.113.1", "203.0.113.2"), 200),  # one trusted proxy: two real clients
        (1, ("203.0.113.1", "203.0.113.1"), 429),  # the same real client twice
        (1, ("1.1.1.1, 203.0.113.1", "2.2.2.2, 203.0.113.1"), 429),  # forged left part ignored
        (2, ("1.1.1.1, 203.0.113.1", "2.2.2.2, 203.0.113.1"), 200),  # two proxies trusted
    ],
)
def test_forwarded_for_counts_only_when_proxies_are_trusted(app_factory, trusted, forwarded, second_status):
    client = app_factory(CHECK_RATE_LIMIT="1/minute", TRUSTED_PROXIES=trusted).test_client()
    first, second = ({"X-Forwarded-For": value} for value in forwarded)
    assert client.post("/v1/check", json=HELLO, headers=first).status_code == 200
    assert client.post("/v1/check", json=HELLO, headers=second).status_code == second_status


# --- a limit holds across processes sharing Redis ------------------------------------------------


class Server:
    """``gunicorn -c gunicorn.conf.py wsgi:app`` on a free port, as ``make serve`` runs it."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",
                "wsgi:app",
            ],
            cwd=ROOT,
            env={**env, "WEB_CONCURRENCY": str(workers)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn on {self.url} did not become ready")

    def check(self, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(f"{self.url}/v1/check", json=HELLO, headers=headers, timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def shared_env(redis_url, tmp_path) -> dict[str, str]:
    """Environment for servers and the CLI sharing one Redis."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "REDIS_URL": redis_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CHECK_RATE_LIMIT": "6/minute",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def two_servers(shared_env) -> Iterator[tuple[Server, Server]]:
    """Two gunicorn masters (one with two workers), like two hosts behind a load balancer."""
    servers = (Server(shared_env, workers=2), Server(shared_env, workers=1))
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


def keys_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``flask --app wsgi keys ...`` as an operator would."""
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "flask", "--app", "wsgi", "keys", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.redis
def test_limits_and_keys_are_shared_by_processes_on_one_redis(two_servers, shared_env):
    a, b = two_servers
    # Anonymous: 6 per minute for this IP in total, wherever the requests land.
    statuses = [(a if i % 2 == 0 else b).check().status_code for i in range(10)]
    assert statuses == [200] * 6 + [429] * 4
    assert b.check().headers["X-RateLimit-Remaining"] == "0"

    created = keys_cli(shared_env, "create", "--name", "e2e", "--scope", "check", "--limit", "4/minute")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("ppc_")
    statuses = [(b if i % 2 == 0 else a).check(bearer(secret)).status_code for i in range(6)]
    assert statuses == [200] * 4 + [429] * 2

    revoked = keys_cli(shared_env, "revoke", "e2e")
    assert revoked.returncode == 0, revoked.stderr
    assert [a.check(bearer(secret)).status_code, b.check(bearer(secret)).status_code] == [401, 401]


# --- Redis outages ----------------------------------------------------------------------------


def _ready(client) -> dict:
    response = client.get("/readyz")
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.redis
def test_redis_outage_degrades_and_recovers_without_restart(app_factory, own_redis: RedisServer, caplog):
    app = app_factory(REDIS_URL=own_redis.url, CHECK_RATE_LIMIT="1000/minute")
    seen = get_keys(app).create("seen", ("check",))
    unseen = get_keys(app).create("unseen", ("check",))
    client = app.test_client()
    assert client.post("/v1/check", json=HELLO, headers=bearer(seen)).status_code == 200
    assert client.post("/v1/check", json=HELLO).status_code == 200
    assert _ready(client) == {
        "status": "ready",
        "checks": {"model": "loaded", "store": "redis ok", "rate_limits": "shared"},
    }

    own_redis.kill()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            response = client.post("/v1/check", json=HELLO)
            assert response.status_code == 200
            assert "X-RateLimit-Remaining" in response.headers  # counted in this process now
        assert client.post("/v1/check", json=HELLO, headers=bearer(seen)).status_code == 200
        refused = client.post("/v1/check", json=HELLO, headers=bearer(unseen))
        assert refused.status_code == 503
        assert refused.get_json()["code"] == 503 and refused.headers["Retry-After"]
        assert _ready(client) == {
            "status": "degraded",
            "checks": {"model": "loaded", "store": "redis unreachable", "rate_limits": "fallback"},
        }
    warnings = [r for r in caplog.records if FALLBACK_WARNING in r.getMessage()]
    assert len(warnings) == 1, "the fallback is logged once, not per request"

    own_redis.start()  # same port, as a restarted Redis would come back
    deadline = time.monotonic() + 45  # flask-limiter re-probes with backoff (at most 32 s apart)
    while time.monotonic() < deadline:
        assert client.post("/v1/check", json=HELLO).status_code == 200
        if _ready(client)["status"] == "ready":
            break
        time.sleep(0.5)
    assert _ready(client)["checks"] == {"model": "loaded", "store": "redis ok", "rate_limits": "shared"}
    client.post("/v1/check", json=HELLO)
    assert own_redis.client().keys("LIMITS*"), "counting in Redis again"


# --- other REDIS_URL forms: Sentinel and Cluster -------------------------------------------------


@pytest.fixture
def sentinel(own_redis: RedisServer, tmp_path: Path) -> Iterator[str]:
    """A redis-sentinel watching ``own_redis`` as ``mymaster``; yields its REDIS_URL."""
    port = free_port()
    config = tmp_path / "sentinel.conf"
    config.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor mymaster 127.0.0.1 {own_redis.port} 1\n"
    )
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        [shutil.which("redis-server") or "redis-server", str(config), "--sentinel"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        probe = redis.Redis(port=port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if probe.sentinel_get_master_addr_by_name("mymaster"):
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis+sentinel://127.0.0.1:{port}/mymaster"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.redis
def test_sentinel_url_carries_keys_and_limits(app_factory, sentinel, own_redis):
    app = app_factory(REDIS_URL=sentinel, CHECK_RATE_LIMIT="2/minute")
    secret = get_keys(app).create("via-sentinel", ("check",), "3/minute")
    client = app.test_client()
    assert [client.post("/v1/check", json=HELLO).status_code for _ in range(3)] == [200, 200, 429]
    keyed = [client.post("/v1/check", json=HELLO, headers=bearer(secret)).status_code for _ in range(4)]
    assert keyed == [200, 200, 200, 429]
    assert _ready(client)["checks"]["rate_limits"] == "shared"
    stored = own_redis.client()
    assert stored.keys("LIMITS*") and stored.keys("ppc:{keys}:*")


@pytest.mark.redis
def test_cluster_url_carries_keys_and_limits(app_factory, redis_cluster):
    app = app_factory(REDIS_URL=redis_cluster, CHECK_RATE_LIMIT="2/minute")
    secret = get_keys(app).create("via-cluster", ("check",), "3/minute")
    client = app.test_client()
    assert [client.post("/v1/check", json=HELLO).status_code for _ in range(3)] == [200, 200, 429]
    keyed = [client.post("/v1/check", json=HELLO, headers=bearer(secret)).status_code for _ in range(4)]
    assert keyed == [200, 200, 200, 429]
    assert get_keys(app).revoke("via-cluster")
    assert client.post("/v1/check", json=HELLO, headers=bearer(secret)).status_code == 401
    assert _ready(client)["checks"] == {"model": "loaded", "store": "redis ok", "rate_limits": "shared"}

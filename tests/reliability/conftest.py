"""Fixtures for fault and load tests: a Redis that keeps its data across a crash, keys, counters."""

from __future__ import annotations

import json
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from api.keys import Keys, RedisKeyBackend
from api.stats_store import RedisStatsBackend
from api.store import Store, redis_from_url
from tests.redis_server import RedisServer

#: Every acknowledged write is on disk before the reply, so a killed Redis restarts with all of it.
DURABLE = ("--appendonly", "yes", "--appendfsync", "always")


@pytest.fixture
def durable_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, with an append-only file: kill it and it comes back whole."""
    directory = tmp_path / "durable-redis"
    directory.mkdir()
    server = RedisServer(directory, extra_args=DURABLE).start()
    yield server
    server.stop()


def key_store(url: str, workdir: Path) -> Keys:
    """Return the key store a server on ``url`` uses, to create keys as the CLI would."""
    return Keys(RedisKeyBackend(Store(redis_from_url(url, 2.0), workdir / "unused.sqlite3")))


def stored_counts(client: redis.Redis) -> Counter[str]:
    """Return every statistics counter in Redis, summed over the days (``<platform>|<measure>``)."""
    totals: Counter[str] = Counter()
    for key in client.scan_iter(match=RedisStatsBackend.PREFIX + "*"):
        for name, value in client.hgetall(key).items():
            totals[name.decode()] += int(value)
    return totals


@pytest.fixture
def marker() -> str:
    """A word that every post of this run contains, so the logs can be searched for it."""
    return f"Zq{secrets.token_hex(4)}m"


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"


@pytest.fixture
def record(request: pytest.FixtureRequest) -> Callable[[dict[str, Any]], Path]:
    """Return a function that writes what a test measured to test-artifacts/reliability/<test>.json."""

    def write(figures: dict[str, Any]) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        path = ARTIFACTS / f"{name}.json"
        path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path

    return write

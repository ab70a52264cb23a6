"""A real ``redis-server`` for the tests, on a free port, with nothing written to disk.

Never an in-memory stand-in: rate limits, key storage and outage handling are tested against the real thing,
as flask-limiter tests its own storages. ``make test`` installs redis-server when missing.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import free_port
from tests.redis_process import START_TIMEOUT, RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One redis-server for the session, stopped at the end."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, emptied for this test."""
    if not redis_server.running:
        redis_server.start()
    redis_server.client().flushall()
    return redis_server.url


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, which it may kill and restart."""
    directory = tmp_path / "own-redis"
    directory.mkdir()
    server = RedisServer(directory).start()
    yield server
    server.stop()


@pytest.fixture
def redis_cluster(tmp_path: Path) -> Iterator[str]:
    """A three-master Redis Cluster on free ports; yields its ``redis+cluster://`` URL."""
    nodes = []
    for number in range(3):
        directory = tmp_path / f"cluster-{number}"
        directory.mkdir()
        extra = (
            "--cluster-enabled",
            "yes",
            "--cluster-port",
            str(free_port()),
            "--cluster-config-file",
            str(directory / "nodes.conf"),
        )
        nodes.append(RedisServer(directory, extra_args=extra).start())
    try:
        addresses = [f"127.0.0.1:{node.port}" for node in nodes]
        subprocess.run(  # noqa: S603 - fixed argument list
            [
                shutil.which("redis-cli") or "redis-cli",
                "--cluster",
                "create",
                *addresses,
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not all(
            node.client().execute_command("CLUSTER INFO")["cluster_state"] == "ok" for node in nodes
        ):
            if time.monotonic() > deadline:
                pytest.fail("Redis Cluster did not reach cluster_state:ok")
            time.sleep(0.1)
        yield "redis+cluster://" + ",".join(addresses)
    finally:
        for node in nodes:
            node.stop()

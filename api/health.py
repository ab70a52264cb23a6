"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators.")


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
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="Not ready to serve checks")
def readyz() -> tuple[dict[str, Any], int]:
    """Report whether the model is loaded and checks can be served."""
    analyzer = current_app.extensions.get("analyzer")
    checks = {"model": "loaded" if analyzer is not None else "missing"}
    ready = analyzer is not None
    return {"status": "ready" if ready else "unavailable", "checks": checks}, 200 if ready else 503

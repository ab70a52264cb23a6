"""Reject request bodies that are not JSON before any parsing happens."""

from __future__ import annotations

from flask import request
from flask_smorest import abort


def require_json() -> None:
    """Abort with 415 unless a body-carrying request declares ``application/json``."""
    if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
        abort(415, message="Send the body as JSON with 'Content-Type: application/json'.")

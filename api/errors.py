"""One JSON error contract for every error the API returns."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Api
from werkzeug.exceptions import HTTPException


class ErrorSchema(ma.Schema):
    """The body of every error response."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status name"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a developer"})
    errors = ma.fields.Dict(
        metadata={"description": 'Field errors by location and field, e.g. {"json": {"text": [...]}}'}
    )


class PrePostApi(Api):
    """flask-smorest's Api with our error body: code, status, message and optional errors."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Return every HTTP error, including 500, as the JSON error body (never internals)."""
        code = error.code or 500
        payload: dict[str, Any] = {"code": code, "status": error.name, "message": error.description}
        headers: dict[str, str] = {}
        data = getattr(error, "data", None) or {}
        if "message" in data:
            payload["message"] = data["message"]
        errors = data.get("errors", data.get("messages"))
        if errors:
            payload["errors"] = errors
            if code == 422 or "query" in errors:  # 400 for bad query parameters (GET /v1/stats)
                payload["message"] = "The request did not validate; see errors."
            elif code == 400:
                payload["message"] = "The request body is not valid JSON (UTF-8)."
        if "headers" in data:
            headers = data["headers"]
        response = error.get_response()
        for name in ("Allow", "Retry-After"):
            if name in response.headers:
                headers.setdefault(name, response.headers[name])
        return payload, code, headers

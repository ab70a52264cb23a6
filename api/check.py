"""POST /v1/check: check a draft post against the policy."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from api.content_type import require_json
from api.schemas import CheckRequestSchema, CheckResponseSchema
from nlp.analyzer import Analysis, Analyzer
from nlp.offsets import Utf16Offsets

blp = Blueprint("check", __name__, url_prefix="/v1", description="Check a draft post before it goes out.")
blp.before_request(require_json)


def analyzer() -> Analyzer:
    """Return the app's analyzer (loaded once by the factory)."""
    return current_app.extensions["analyzer"]


def present(text: str, analysis: Analysis) -> dict[str, Any]:
    """Return an analysis as the response body, with UTF-16 offsets for browsers."""
    utf16 = Utf16Offsets(text)
    return {
        "findings": [
            {
                "category": f.category,
                "type": f.type,
                "start": f.start,
                "end": f.end,
                "start_utf16": utf16(f.start),
                "end_utf16": utf16(f.end),
                "text": text[f.start : f.end],
                "severity": f.severity,
                "clauses": list(f.clauses),
                "message": f.message,
                "suggestion": f.suggestion,
                "replacement": f.replacement,
                "detector": f.detector,
                "pattern": f.pattern,
                "score": f.score,
            }
            for f in analysis.findings
        ],
        "risk": {"level": analysis.risk.level, "score": analysis.risk.score},
    }


@blp.route("/check", methods=["POST"])
@blp.arguments(CheckRequestSchema)
@blp.response(200, CheckResponseSchema)
def check(body: dict[str, Any]) -> dict[str, Any]:
    """Check a draft post.

    Returns every finding with its span (code-point and UTF-16 offsets), severity, the policy
    clauses behind it, a plain-words message, a suggestion and, where one exists, a safer
    replacement for the span. The text is analysed in memory and never stored or logged.
    """
    text = body["text"]
    return present(text, analyzer().analyze(text))

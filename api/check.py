"""POST /v1/check and /v1/check/batch: check draft posts against the policy."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from api.auth import require_scope
from api.content_type import require_json
from api.docs import RATE_LIMIT_HEADERS, error_responses
from api.limits import check_quota
from api.schemas import (
    BatchRequestSchema,
    BatchResponseSchema,
    CheckRequestSchema,
    CheckResponseSchema,
    text_problem,
)
from api.stats_store import get_recorder
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


def check_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check a batch in one ``nlp.pipe`` pass; an item that cannot be checked gets an error."""
    problems = [text_problem(item["text"]) for item in items]
    valid = [item for item, problem in zip(items, problems, strict=True) if problem is None]
    checked = list(zip(valid, analyzer().analyze_many([item["text"] for item in valid]), strict=True))
    get_recorder().record_checks((analysis, item["platform"]) for item, analysis in checked)
    answers = iter(checked)
    results = []
    for item, problem in zip(items, problems, strict=True):
        if problem is None:
            _, analysis = next(answers)
            results.append({"id": item["id"], **present(item["text"], analysis)})
        else:
            error = {"code": 422, "status": "Unprocessable Entity", "message": problem}
            results.append({"id": item["id"], "error": error})
    return results


@blp.route("/check", methods=["POST"])
@require_scope("check", anonymous=True)
@check_quota
@error_responses(blp, 400, 401, 403, 413, 415, 429, 503)
@blp.arguments(CheckRequestSchema)
@blp.response(200, CheckResponseSchema, headers=RATE_LIMIT_HEADERS)
def check(body: dict[str, Any]) -> dict[str, Any]:
    """Check a draft post.

    Returns every finding with its span (code-point and UTF-16 offsets), severity, the policy
    clauses behind it, a plain-words message, a suggestion and, where one exists, a safer
    replacement for the span. The text is analysed in memory and never stored or logged.
    """
    text = body["text"]
    analysis = analyzer().analyze(text)
    get_recorder().record_check(analysis, body["platform"])  # counters only: see api/stats_store.py
    return present(text, analysis)


@blp.route("/check/batch", methods=["POST"])
@require_scope("check", anonymous=True)
@check_quota
@error_responses(blp, 400, 401, 403, 413, 415, 429, 503)
@blp.arguments(BatchRequestSchema)
@blp.response(200, BatchResponseSchema, headers=RATE_LIMIT_HEADERS)
def check_batch(body: dict[str, Any]) -> dict[str, Any]:
    """Check up to 100 draft posts in one request.

    Results come back in the order of the items, each with the item's id. An item whose text is
    empty or too long gets an ``error`` instead of findings; the others are still checked. Each
    item counts as one request against the caller's rate limit.
    """
    return {"results": check_items(body["items"])}

"""Request and response schemas: the API contract, and the source of the OpenAPI document."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app

from api.errors import ErrorSchema

MAX_ITEM_ID_CHARS = 100
DEFAULT_MAX_TEXT_CHARS = 65_536  # documented maximum; the live one is MAX_TEXT_CHARS
DEFAULT_MAX_BATCH_ITEMS = 100  # documented maximum; the live one is MAX_BATCH_ITEMS
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "reddit", "whatsapp", "tiktok", "other")


def text_problem(text: str) -> str | None:
    """Return why a post cannot be checked (empty, or over MAX_TEXT_CHARS), or None."""
    if not text:
        return "Text must not be empty."
    limit = current_app.config["MAX_TEXT_CHARS"]
    if len(text) > limit:
        return f"Text is longer than {limit} characters."
    return None


def platform_field() -> ma.fields.String:
    """Return the optional ``platform`` field of a post to check."""
    return ma.fields.String(
        load_default="other",
        validate=ma.validate.OneOf(PLATFORMS),
        metadata={"description": "Where the post is going.", "enum": list(PLATFORMS)},
    )


class CheckRequestSchema(ma.Schema):
    """A draft post to check."""

    class Meta:
        unknown = ma.RAISE

    text = ma.fields.String(
        required=True,
        metadata={
            "description": "The draft post, at most MAX_TEXT_CHARS characters (default 65,536).",
            "minLength": 1,
            "maxLength": DEFAULT_MAX_TEXT_CHARS,
        },
    )
    platform = platform_field()

    @ma.validates("text")
    def validate_text(self, value: str, **_: object) -> None:
        """Reject empty text and text over the configured limit."""
        problem = text_problem(value)
        if problem:
            raise ma.ValidationError(problem)


class RiskSchema(ma.Schema):
    """The post's overall risk."""

    level = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(("none", "low", "medium", "high")),
        metadata={"description": "none, or the highest severity among the findings"},
    )
    score = ma.fields.Float(required=True, metadata={"description": "0 (nothing found) to 1"})


class FindingSchema(ma.Schema):
    """One flagged span, with the policy clauses behind it."""

    category = ma.fields.String(required=True, metadata={"description": "Category id, see /v1/policy"})
    type = ma.fields.String(required=True, metadata={"description": "Finer kind, e.g. phone, email, person"})
    start = ma.fields.Integer(required=True, metadata={"description": "Start offset in code points (Python)"})
    end = ma.fields.Integer(required=True, metadata={"description": "End offset in code points (exclusive)"})
    start_utf16 = ma.fields.Integer(
        required=True, metadata={"description": "Start offset in UTF-16 units (JavaScript)"}
    )
    end_utf16 = ma.fields.Integer(
        required=True, metadata={"description": "End offset in UTF-16 units (JavaScript)"}
    )
    text = ma.fields.String(required=True, metadata={"description": "The flagged span"})
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(("low", "medium", "high")))
    clauses = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "Policy clause ids"})
    message = ma.fields.String(required=True, metadata={"description": "Why it matters, in plain words"})
    suggestion = ma.fields.String(required=True, metadata={"description": "What to do instead"})
    replacement = ma.fields.String(
        allow_none=True, metadata={"description": "A safer text for the span, if any"}
    )
    detector = ma.fields.String(required=True, metadata={"description": "Which detector fired"})
    pattern = ma.fields.String(required=True, metadata={"description": "Which rule or model within it"})
    score = ma.fields.Float(required=True, metadata={"description": "Confidence, 0 to 1"})


class CheckResponseSchema(ma.Schema):
    """The result of a check."""

    findings = ma.fields.List(ma.fields.Nested(FindingSchema), required=True)
    risk = ma.fields.Nested(RiskSchema, required=True)


class BatchItemSchema(ma.Schema):
    """One post of a batch, named by the client's own id."""

    class Meta:
        unknown = ma.RAISE

    id = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=MAX_ITEM_ID_CHARS),
        metadata={
            "description": "The client's id for this item, echoed in its result and in errors about it; "
            "keep ids unique to tell items apart (results also follow the order of the items)."
        },
    )
    text = ma.fields.String(
        required=True,
        metadata={
            "description": "The draft post. Empty or over MAX_TEXT_CHARS: reported on this item's result, "
            "the other items are still checked."
        },
    )
    platform = platform_field()


class BatchRequestSchema(ma.Schema):
    """Several posts to check in one request; each item counts as one request against the rate limit."""

    class Meta:
        unknown = ma.RAISE

    items = ma.fields.List(
        ma.fields.Nested(BatchItemSchema),
        required=True,
        validate=ma.validate.Length(min=1),
        metadata={
            "description": f"1 to MAX_BATCH_ITEMS (default {DEFAULT_MAX_BATCH_ITEMS}) posts.",
            "maxItems": DEFAULT_MAX_BATCH_ITEMS,
        },
    )

    @ma.validates("items")
    def validate_items(self, items: list[dict[str, Any]], **_: object) -> None:
        """Reject batches over MAX_BATCH_ITEMS."""
        limit = current_app.config["MAX_BATCH_ITEMS"]
        if len(items) > limit:
            raise ma.ValidationError(f"A batch holds at most {limit} items.")

    def handle_error(self, error: ma.ValidationError, data: Any, **kwargs: Any) -> None:
        """Name bad items by their id rather than their position, where they have one."""
        messages = error.messages
        if not isinstance(messages, dict) or not isinstance(data, dict):
            raise error
        items, item_errors = data.get("items"), messages.get("items")
        if not (isinstance(items, list) and isinstance(item_errors, dict)):
            raise error
        renamed: dict[str, dict[str, list[str]]] = {}
        for position, problem in item_errors.items():
            item = items[position] if isinstance(position, int) and position < len(items) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            name = item_id if isinstance(item_id, str) and item_id else str(position)
            if not isinstance(problem, dict):
                problem = {"_schema": problem if isinstance(problem, list) else [str(problem)]}
            # Items sharing an id share one entry: merge their field errors.
            for field_name, field_errors in problem.items():
                renamed.setdefault(name, {}).setdefault(field_name, []).extend(field_errors)
        raise ma.ValidationError({**messages, "items": renamed})


class BatchResultSchema(ma.Schema):
    """The answer for one item: its findings and risk, or why it could not be checked."""

    id = ma.fields.String(required=True)
    findings = ma.fields.List(ma.fields.Nested(FindingSchema), metadata={"description": "Absent if error"})
    risk = ma.fields.Nested(RiskSchema, metadata={"description": "Absent if error"})
    error = ma.fields.Nested(ErrorSchema, metadata={"description": "Why this item was not checked"})


class BatchResponseSchema(ma.Schema):
    """One result per item, in the order of the request."""

    results = ma.fields.List(ma.fields.Nested(BatchResultSchema), required=True)

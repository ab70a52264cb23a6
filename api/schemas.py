"""Request and response schemas: the API contract, and the source of the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app

PLATFORMS = ("x", "facebook", "instagram", "linkedin", "reddit", "whatsapp", "tiktok", "other")


class CheckRequestSchema(ma.Schema):
    """A draft post to check."""

    class Meta:
        unknown = ma.RAISE

    text = ma.fields.String(
        required=True,
        metadata={"description": "The draft post, at most MAX_TEXT_CHARS characters (default 65,536)."},
    )
    platform = ma.fields.String(
        load_default="other",
        validate=ma.validate.OneOf(PLATFORMS),
        metadata={"description": "Where the post is going.", "enum": list(PLATFORMS)},
    )

    @ma.validates("text")
    def validate_text(self, value: str, **_: object) -> None:
        """Reject empty text and text over the configured limit."""
        if not value:
            raise ma.ValidationError("Text must not be empty.")
        limit = current_app.config["MAX_TEXT_CHARS"]
        if len(value) > limit:
            raise ma.ValidationError(f"Text is longer than {limit} characters.")


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
    start_utf16 = ma.fields.Integer(required=True, metadata={"description": "Start offset in UTF-16 units (JavaScript)"})
    end_utf16 = ma.fields.Integer(required=True, metadata={"description": "End offset in UTF-16 units (JavaScript)"})
    text = ma.fields.String(required=True, metadata={"description": "The flagged span"})
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(("low", "medium", "high")))
    clauses = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "Policy clause ids"})
    message = ma.fields.String(required=True, metadata={"description": "Why it matters, in plain words"})
    suggestion = ma.fields.String(required=True, metadata={"description": "What to do instead"})
    replacement = ma.fields.String(allow_none=True, metadata={"description": "A safer text for the span, if any"})
    detector = ma.fields.String(required=True, metadata={"description": "Which detector fired"})
    pattern = ma.fields.String(required=True, metadata={"description": "Which rule or model within it"})
    score = ma.fields.Float(required=True, metadata={"description": "Confidence, 0 to 1"})


class CheckResponseSchema(ma.Schema):
    """The result of a check."""

    findings = ma.fields.List(ma.fields.Nested(FindingSchema), required=True)
    risk = ma.fields.Nested(RiskSchema, required=True)

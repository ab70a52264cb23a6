"""GET /v1/policy: the categories, clauses and guidance behind every warning."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint

from nlp.policy import catalogue

blp = Blueprint("policy", __name__, url_prefix="/v1", description="The policy behind the warnings.")


class ClauseSchema(ma.Schema):
    """One clause of the Student Social Media Policy."""

    id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class CategorySchema(ma.Schema):
    """One category of warning."""

    id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    colour = ma.fields.String(required=True, metadata={"description": "CSS colour for underlines"})
    clauses = ma.fields.List(ma.fields.String(), required=True)
    message = ma.fields.String(required=True)
    suggestion = ma.fields.String(required=True)
    types = ma.fields.List(ma.fields.String(), required=True)


class PolicySchema(ma.Schema):
    """The policy catalogue."""

    policy = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    clauses = ma.fields.List(ma.fields.Nested(ClauseSchema), required=True)
    categories = ma.fields.List(ma.fields.Nested(CategorySchema), required=True)


@blp.route("/policy", methods=["GET"])
@blp.response(200, PolicySchema)
def policy() -> dict[str, Any]:
    """List the warning categories with their clauses, titles and guidance."""
    return catalogue().describe()

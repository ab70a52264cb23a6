"""POST /v1/events and GET /v1/stats: anonymous counters in, protected aggregates out.

What is counted is described in ``api/stats_store.py``; how small numbers are suppressed, so that
nothing points at a person, in ``api/stats_report.py``.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from typing import Any

import marshmallow as ma
from flask import Response, current_app, request
from flask_smorest import Blueprint, abort

from api.auth import require_scope
from api.content_type import require_json
from api.docs import error_responses
from api.extensions import limiter
from api.limits import client_limit, limit_message
from api.schemas import PLATFORMS
from api.stats_report import CSV_COLUMNS, GROUPS, Release, periods, to_csv
from api.stats_store import EVENTS, RECORDING_ERRORS, get_recorder
from nlp.policy import CATEGORIES

blp = Blueprint(
    "stats", __name__, url_prefix="/v1", description="Anonymous usage counters and their aggregates."
)
blp.before_request(require_json)

#: The longest answer: 400 days, weeks or months.
MAX_PERIODS = 400
#: Dates outside these are surely mistakes (and would overflow date arithmetic).
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
DEFAULT_DAYS = 30
CSV_TYPE = "text/csv"


def event_limit() -> str:
    """Return the rate limit of event reports (per key, else per client IP)."""
    return str(current_app.config["EVENT_RATE_LIMIT"])


event_quota = limiter.limit(event_limit, scope="events", error_message=limit_message)
stats_quota = limiter.shared_limit(client_limit, scope="stats", error_message=limit_message)


class EventSchema(ma.Schema):
    """What happened after a warning, reported by the extension without any identifier."""

    class Meta:
        unknown = ma.RAISE

    event = ma.fields.String(
        required=True, validate=ma.validate.OneOf(EVENTS), metadata={"enum": list(EVENTS)}
    )
    categories = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(CATEGORIES), metadata={"enum": list(CATEGORIES)}),
        required=True,
        validate=ma.validate.Length(min=1, max=len(CATEGORIES)),
        metadata={"description": "The categories of the warnings concerned (each counted once)."},
    )
    platform = ma.fields.String(
        load_default="other", validate=ma.validate.OneOf(PLATFORMS), metadata={"enum": list(PLATFORMS)}
    )


class StatsQuerySchema(ma.Schema):
    """Which statistics to return."""

    class Meta:
        unknown = ma.RAISE

    from_ = ma.fields.Date(
        data_key="from",
        metadata={
            "description": f"First day, YYYY-MM-DD (UTC; default: {DEFAULT_DAYS - 1} days before to). "
            f"Not after to; from {EARLIEST} to {LATEST}; at most {MAX_PERIODS} periods of group_by."
        },
    )
    to = ma.fields.Date(metadata={"description": "Last day, YYYY-MM-DD (UTC; default: today)"})
    group_by = ma.fields.String(
        load_default="day",
        validate=ma.validate.OneOf(GROUPS),
        metadata={
            "description": "Period of each row: day, ISO week or calendar month. "
            "The range grows to whole periods."
        },
    )
    platform = ma.fields.String(
        validate=ma.validate.OneOf(PLATFORMS), metadata={"description": "Only this platform (default: all)"}
    )
    format = ma.fields.String(
        validate=ma.validate.OneOf(("json", "csv")),
        metadata={"description": "csv for CSV (same as 'Accept: text/csv'); default json"},
    )

    @ma.post_load
    def fill_range(self, data: dict[str, Any], **_: object) -> dict[str, Any]:
        """Default the range to the last 30 days and check it."""
        last = data.get("to") or get_recorder().today()
        first = data.get("from_") or last - timedelta(days=DEFAULT_DAYS - 1)
        for name, day in (("from", first), ("to", last)):
            if not EARLIEST <= day <= LATEST:
                raise ma.ValidationError(f"Must be between {EARLIEST} and {LATEST}.", name)
        if first > last:
            raise ma.ValidationError("Must not be after 'to'.", "from")
        if len(periods(first, last, data["group_by"])) > MAX_PERIODS:
            raise ma.ValidationError(
                f"At most {MAX_PERIODS} periods; group by week or month for longer ranges.", "from"
            )
        data["from_"], data["to"] = first, last
        return data


class Count(ma.fields.Raw):
    """A published count: a number, or a string standing for a suppressed one."""


def count(description: str = "", *, required: bool = True) -> Count:
    """Return a field for a published count."""
    return Count(
        required=required,
        metadata={
            "description": description,
            "oneOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "description": "'<k' (fewer than k, possibly none) or 'hidden'"},
            ],
        },
    )


class PlatformCountsSchema(ma.Schema):
    """Checks and warned posts on one platform."""

    checks = count()
    warned_posts = count()


class OutcomesSchema(ma.Schema):
    """Events reported by the extension, and what warned posts became."""

    warning_shown = count()
    fix_applied = count()
    edited_before_posting = count()
    posted_anyway = count()
    post_cancelled = count()
    total = count("edited_before_posting + post_cancelled + posted_anyway")
    revised_or_cancelled_share = ma.fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "(total - posted_anyway) / total, when both are shown"},
    )


class TypeCountSchema(ma.Schema):
    """Posts warned for one kind of finding (only kinds whose count is shown are listed)."""

    category = ma.fields.String(required=True)
    type = ma.fields.String(required=True)
    severity = ma.fields.String(required=True)
    posts = ma.fields.Integer(required=True)


class PeriodSchema(ma.Schema):
    """The published counts of one day, week or month."""

    period = ma.fields.String(required=True, metadata={"description": "2025-03-01, 2025-W09 or 2025-03"})
    start = ma.fields.String(required=True, metadata={"format": "date"})
    end = ma.fields.String(required=True, metadata={"format": "date"})
    checks = count("Posts checked")
    warned_posts = count("Posts with at least one warning")
    categories = ma.fields.Dict(
        keys=ma.fields.String(),
        values=count(),
        required=True,
        metadata={"description": "Posts warned for each category"},
    )
    types = ma.fields.List(ma.fields.Nested(TypeCountSchema), required=True)
    platforms = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(PlatformCountsSchema),
        metadata={"description": "Per platform (only when no platform is asked for)"},
    )
    outcomes = ma.fields.Nested(OutcomesSchema, required=True)
    outcomes_by_category = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Nested(OutcomesSchema), required=True
    )
    unrecorded = count(
        "Records lost while the store was unreachable (only for all platforms)", required=False
    )


class SummaryOutcomesSchema(ma.Schema):
    """Sums of the shown event counts."""

    warning_shown = ma.fields.Integer(required=True)
    fix_applied = ma.fields.Integer(required=True)
    edited_before_posting = ma.fields.Integer(required=True)
    posted_anyway = ma.fields.Integer(required=True)
    post_cancelled = ma.fields.Integer(required=True)
    revised_or_cancelled_share = ma.fields.Float(required=True, allow_none=True)
    share_based_on = ma.fields.Integer(
        required=True, metadata={"description": "Outcomes behind the share: those of periods that show it"}
    )
    revised_or_cancelled = ma.fields.Integer(
        required=True, metadata={"description": "Of share_based_on, how many were edited or cancelled"}
    )


class SummarySchema(ma.Schema):
    """Sums of the counts the periods show ('<k' and hidden cells add nothing)."""

    checks = ma.fields.Integer(required=True)
    warned_posts = ma.fields.Integer(required=True)
    categories = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), required=True)
    platforms = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    )
    outcomes = ma.fields.Nested(SummaryOutcomesSchema, required=True)


class StatsResponseSchema(ma.Schema):
    """Aggregate statistics with small numbers suppressed."""

    from_ = ma.fields.String(data_key="from", attribute="from", required=True, metadata={"format": "date"})
    to = ma.fields.String(required=True, metadata={"format": "date"})
    group_by = ma.fields.String(required=True)
    platform = ma.fields.String(required=True, allow_none=True)
    min_count = ma.fields.Integer(required=True, metadata={"description": "k: counts below it are not shown"})
    legend = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    summary = ma.fields.Nested(SummarySchema, required=True)
    periods = ma.fields.List(ma.fields.Nested(PeriodSchema), required=True)


def read_release() -> Release:
    """Return the protected release of every retained counter, computed at most every STATS_CACHE_SECONDS.

    Raise one of ``RECORDING_ERRORS`` if the store is unreachable. Protecting a year of counters
    takes seconds, so each process keeps its last release for a while; requests meanwhile wait for
    the one computation instead of starting their own.
    """
    recorder = get_recorder()
    config = current_app.config
    cache = current_app.extensions.setdefault("stats_release", {"lock": threading.Lock(), "entry": None})
    with cache["lock"]:
        today, k = recorder.today(), config["STATS_MIN_COUNT"]
        entry = cache["entry"]
        if entry is not None and entry[0] == (today, k) and time.monotonic() < entry[1]:
            return entry[2]  # type: ignore[no-any-return]
        daily = recorder.load(today - timedelta(days=recorder.backend.retention_days), today)
        release = Release(daily, k)
        cache["entry"] = ((today, k), time.monotonic() + config["STATS_CACHE_SECONDS"], release)
        return release


def load_release() -> Release:
    """Return the protected release, or abort with 503 if the store is unreachable."""
    try:
        return read_release()
    except RECORDING_ERRORS:
        abort(
            503, message="The statistics store is unreachable; retry shortly.", headers={"Retry-After": "5"}
        )
        raise  # unreachable: abort raises


def build_report(args: dict[str, Any]) -> dict[str, Any]:
    """Return the report asked for by validated query arguments."""
    return load_release().report(args["from_"], args["to"], args["group_by"], args.get("platform"))


def wants_csv(args: dict[str, Any]) -> bool:
    """Return whether to answer in CSV: ``format=csv``, or an Accept header preferring it."""
    if "format" in args:
        return bool(args["format"] == "csv")
    return request.accept_mimetypes.best_match(["application/json", CSV_TYPE]) == CSV_TYPE


def csv_response(report: dict[str, Any]) -> Response:
    """Return a report as a CSV download."""
    parts = (report["from"], report["to"], report["group_by"], report["platform"] or "all")
    name = "prepost-stats_{}_{}_{}_{}.csv".format(*parts)
    return Response(
        to_csv(report),
        mimetype=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@blp.route("/events", methods=["POST"])
@require_scope("check", anonymous=True)
@event_quota
@error_responses(blp, 400, 401, 403, 413, 415, 429, 503)
@blp.arguments(EventSchema)
@blp.response(204, description="Counted")
def events(body: dict[str, Any]) -> None:
    """Count what happened after a warning.

    Only counters are increased: the event's day, platform and categories. Nothing that identifies
    the post, the student or the device is sent or stored.
    """
    get_recorder().record_event(body["event"], body["categories"], body["platform"])


@blp.route("/stats", methods=["GET"])
@require_scope("stats")
@stats_quota
@error_responses(blp, 401, 403, 429, 503)
@blp.arguments(StatsQuerySchema, location="query", error_status_code=400, unknown=ma.RAISE)
@blp.response(200, StatsResponseSchema)
@blp.doc(
    responses={
        "200": {
            "description": "The statistics, as JSON or CSV",
            "headers": {"Cache-Control": {"schema": {"type": "string"}, "description": "no-store"}},
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/StatsResponse"}},
                CSV_TYPE: {"schema": {"type": "string", "description": f"Columns: {', '.join(CSV_COLUMNS)}"}},
            },
        }
    }
)
def stats(args: dict[str, Any]) -> Any:
    """Return aggregate statistics for the privacy office (API key with the ``stats`` scope).

    Counts are per period (day, ISO week or month) for all platforms or one; counts below
    ``min_count`` read ``"<5"`` and cells that would let one be worked out read ``"hidden"`` (the
    rule is in ``api/stats_report.py``). CSV with ``format=csv`` or ``Accept: text/csv``.
    """
    report = build_report(args)
    if wants_csv(args):
        return csv_response(report)
    return report, 200, {"Cache-Control": "no-store"}

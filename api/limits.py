"""Rate limits for the checker: per client IP without a key, per key with one.

flask-limiter reads every setting from ``RATELIMIT_*`` app config (``api/config.py``); the storage
is the shared store's Redis or process memory (``api/store.py``). /v1/check and /v1/check/batch
share one budget, and a batch of N items costs N. When Redis is unreachable flask-limiter counts
in this process's memory instead (logging one warning) and returns to Redis by itself once it
answers again.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from api import window
from api.auth import current_key
from api.extensions import limiter

BATCH_ENDPOINT = "check.check_batch"


def client_limit() -> str:
    """Return the limit of this caller: its key's own, the keyed default, or the anonymous one."""
    key = current_key()
    if key is None:
        return current_app.config["CHECK_RATE_LIMIT"]
    return key.limit or current_app.config["KEY_RATE_LIMIT"]


def request_cost() -> int:
    """Return what this request costs: one per batch item, otherwise one.

    Must never raise: flask-limiter treats any error here as its storage failing.
    """
    if request.endpoint != BATCH_ENDPOINT:
        return 1
    try:
        body = request.get_json(silent=True)
    except HTTPException:  # body over MAX_CONTENT_LENGTH: the view answers 413
        return 1
    items = body.get("items") if isinstance(body, dict) else None
    if isinstance(items, list) and 0 < len(items) <= current_app.config["MAX_BATCH_ITEMS"]:
        return len(items)
    return 1


def limit_message() -> str:
    """Return the 429 message, naming the limit that was hit."""
    hit = limiter.current_limit
    which = f" of {hit.limit}" if hit is not None else ""
    return f"Rate limit{which} exceeded; retry after the number of seconds in Retry-After."


#: The one budget shared by /v1/check and /v1/check/batch.
check_quota = limiter.shared_limit(
    client_limit, scope="check", cost=request_cost, error_message=limit_message
)


def limits_state() -> str:
    """Return where limits are counted now: ``shared`` (Redis), ``fallback``, ``memory`` or ``off``."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return "off"
    if not current_app.config["REDIS_URL"]:
        return "memory"
    # flask-limiter swaps in its in-memory limiter while the storage is down.
    return "shared" if limiter.limiter.storage is limiter.storage else "fallback"


def init_app(app: Flask) -> None:
    """Bind the limiter to the app (storage already chosen by ``api.store.init_app``); the
    ``moving-window`` strategy is :class:`api.window.OneTripMovingWindow`."""
    window.install()
    limiter.init_app(app)

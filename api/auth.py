"""Who is calling: the API key sent as ``Authorization: Bearer <key>``, and scope checks on views.

``load_client`` runs before every request (and before rate limits, which count per key), so a
wrong or revoked key is refused with 401 on any endpoint except the health probes. Views then
state what they need with ``require_scope``::

    @blp.route("/stats")
    @require_scope("stats")                    # 401 without a key, 403 with a check-only key
    def stats(): ...

    @blp.route("/check", methods=["POST"])
    @require_scope("check", anonymous=True)    # no key is fine; a key needs the check scope
    def check(body): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import Blueprint, abort

from api.keys import ApiKey, get_keys
from api.store import StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])

SECURITY_SCHEME = "bearerAuth"
#: Endpoints a key is never checked on: probes must answer whatever a caller sends.
UNCHECKED_BLUEPRINTS = frozenset({"health"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="pre-post-check"'}


def load_client() -> None:
    """Verify the bearer key, if any, and remember it for this request (401 when it is wrong)."""
    g.api_key = None
    header = request.headers.get("Authorization")
    if header is None or request.blueprint in UNCHECKED_BLUEPRINTS:
        return
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(401, message="Send the API key as 'Authorization: Bearer <key>'.", headers=CHALLENGE)
    try:
        key = get_keys().verify(secret.strip())
    except StoreUnavailable:
        abort(503, message="The key store is unreachable; retry shortly.", headers={"Retry-After": "5"})
    if key is None:
        abort(401, message="Unknown or revoked API key.", headers=CHALLENGE)
    g.api_key = key


def current_key() -> ApiKey | None:
    """Return the verified key of this request, or None for an anonymous caller."""
    return g.get("api_key")


def client_identity() -> str:
    """Return whom rate limits count for: the key's name, else the client IP."""
    key = current_key()
    return f"key:{key.name}" if key is not None else f"ip:{request.remote_addr or 'unknown'}"


def require_scope(scope: str, *, anonymous: bool = False) -> Callable[[F], F]:
    """Decorate a view: callers need a key with ``scope``, or no key at all if ``anonymous``."""
    security: list[dict[str, list[str]]] = [{SECURITY_SCHEME: []}]
    if anonymous:
        security.insert(0, {})

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = current_key()
            if key is None and not anonymous:
                abort(
                    401,
                    message=f"This endpoint needs an API key with the '{scope}' scope.",
                    headers=CHALLENGE,
                )
            if key is not None and scope not in key.scopes:
                abort(403, message=f"This API key does not have the '{scope}' scope.")
            return view(*args, **kwargs)

        return Blueprint.doc(security=security)(wrapper)  # type: ignore[no-any-return]

    return decorator

"""GET /dashboard: the privacy office's charts, behind the same API key as GET /v1/stats.

The office signs in once with a key of scope ``stats``; the session cookie (``HttpOnly``,
``SameSite=Strict``, path ``/dashboard``, signed with ``SECRET_KEY``, expiring after
``DASHBOARD_SESSION_HOURS``) holds only the key's SHA-256 digest and name, never the key. Every
page checks that digest against the key store again, so a revoked key signs the office out. The
page shows exactly the protected release of ``/v1/stats`` (``api/stats_report.py``); charts are
drawn by Chart.js, served by the app from ``api/static/vendor`` (no CDN), under a strict
Content-Security-Policy.
"""

from __future__ import annotations

import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import marshmallow as ma
from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from api.keys import digest, get_keys
from api.schemas import PLATFORMS
from api.stats import StatsQuerySchema, csv_response, read_release
from api.stats_report import GROUPS
from api.stats_store import RECORDING_ERRORS, get_recorder
from api.store import StoreUnavailable
from nlp.policy import CATEGORIES, catalogue

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

SECRET_FILE = "secret_key"  # a file name, not a secret  # noqa: S105  # nosec B105
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
PLATFORM_NAMES = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "reddit": "Reddit",
    "whatsapp": "WhatsApp",
    "tiktok": "TikTok",
    "other": "Other",
}


def instance_secret(path: Path) -> str:
    """Return the secret kept in ``path``, creating it once (safe when workers race to do so)."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32))
    try:
        os.link(draft, path)  # atomic: the first process to get here wins, the others read its secret
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()


def init_app(app: Flask) -> None:
    """Configure the session cookie; without SECRET_KEY use (or create) one in the instance folder."""
    if not app.config.get("SECRET_KEY"):
        folder = app.config.get("INSTANCE_PATH") or app.instance_path
        app.config["SECRET_KEY"] = instance_secret(Path(os.fspath(folder)) / SECRET_FILE)
    app.config.update(
        SESSION_COOKIE_NAME="ppc_dashboard",
        SESSION_COOKIE_PATH="/dashboard",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["DASHBOARD_SESSION_HOURS"]),
    )


@bp.after_request
def secure(response: Response) -> Response:
    """Add a strict CSP and no-cache headers to every dashboard response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def csrf_token() -> str:
    """Return this session's token for the dashboard's forms."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def csrf_ok() -> bool:
    """Return whether a posted form carries this session's token."""
    sent = request.form.get("csrf", "")
    return bool(sent) and "csrf" in session and hmac.compare_digest(sent, str(session["csrf"]))


def signed_in_key() -> str | None:
    """Return the name of the session's key if it still exists with the ``stats`` scope, else None.

    Raises ``StoreUnavailable`` when the key store cannot be asked.
    """
    key_digest = session.get("key_digest")
    if not isinstance(key_digest, str):
        return None
    found = get_keys().backend.get(key_digest)
    if found is None or "stats" not in found[1].scopes:
        session.pop("key_digest", None)
        session.pop("key_name", None)
        return None
    return found[1].name


def login_page(message: str | None = None, status: int = 200) -> tuple[str, int]:
    """Return the sign-in form, with a message when there is one."""
    return render_template("dashboard/login.html", message=message, csrf=csrf_token()), status


def unavailable() -> tuple[str, int, dict[str, str]]:
    """Return the page shown when the key or statistics store cannot be reached."""
    page = render_template(
        "dashboard/login.html", message="The store is unreachable; retry shortly.", csrf=csrf_token()
    )
    return page, 503, {"Retry-After": "5"}


@bp.route("/login", methods=["POST"])
def login() -> Any:
    """Sign in with an API key of scope ``stats``."""
    if not csrf_ok():
        return login_page("The form expired; please sign in again.", 400)
    secret = request.form.get("key", "").strip()
    try:
        key = get_keys().verify(secret) if secret else None
    except StoreUnavailable:
        return unavailable()
    if key is None:
        return login_page("Unknown or revoked API key.", 401)
    if "stats" not in key.scopes:
        return login_page("This API key does not have the 'stats' scope.", 403)
    session.clear()
    session.permanent = True
    session.update(key_digest=digest(secret), key_name=key.name, csrf=secrets.token_urlsafe(32))
    return redirect(url_for("dashboard.index"), code=303)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Sign out."""
    if csrf_ok():
        session.clear()
    return redirect(url_for("dashboard.index"), code=303)


def filters() -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the validated filters of the query string and their field errors (then defaults)."""
    raw = {
        name: value
        for name, value in request.args.items()
        if value and name in ("from", "to", "group_by", "platform")
    }
    try:
        return StatsQuerySchema().load(raw), {}
    except ma.ValidationError as error:
        return StatsQuerySchema().load({}), dict(error.messages)  # type: ignore[arg-type]


@bp.route("", methods=["GET"])
def index() -> Any:
    """Show the charts, or the sign-in form."""
    try:
        name = signed_in_key()
    except StoreUnavailable:
        return unavailable()
    if name is None:
        return login_page()
    args, errors = filters()
    try:
        release = read_release()
    except RECORDING_ERRORS:
        return unavailable()
    report = release.report(args["from_"], args["to"], args["group_by"], args.get("platform"))
    today = get_recorder().today()
    this_month = release.report(today, today, "month", args.get("platform"))["periods"][0]
    policy = catalogue().categories
    categories = {
        c: {"title": policy[c]["title"], "colour": policy[c].get("colour", "#64748b")} for c in CATEGORIES
    }
    page = render_template(
        "dashboard/index.html",
        key_name=name,
        csrf=csrf_token(),
        report=report,
        this_month=this_month,
        top_month=sorted(
            ((c, v) for c, v in this_month["categories"].items() if isinstance(v, int)),
            key=lambda cv: (-cv[1], cv[0]),
        ),
        errors=errors,
        args=args,
        groups=GROUPS,
        platforms=PLATFORM_NAMES,
        categories=categories,
        csv_query={
            k: v
            for k, v in (
                ("from", report["from"]),
                ("to", report["to"]),
                ("group_by", report["group_by"]),
                ("platform", report["platform"]),
            )
            if v
        },
        data={
            "report": report,
            "thisMonth": this_month,
            "categories": categories,
            "platforms": {p: PLATFORM_NAMES[p] for p in PLATFORMS},
        },
    )
    return page, 400 if errors else 200


@bp.route("/stats.csv", methods=["GET"])
def download() -> Any:
    """Download the filtered statistics as CSV."""
    try:
        name = signed_in_key()
    except StoreUnavailable:
        return unavailable()
    if name is None:
        return redirect(url_for("dashboard.index"), code=303)
    args, errors = filters()
    if errors:
        query = request.query_string.decode("ascii", "replace")
        return redirect(url_for("dashboard.index") + (f"?{query}" if query else ""), code=303)
    try:
        release = read_release()
    except RECORDING_ERRORS:
        return unavailable()
    return csv_response(release.report(args["from_"], args["to"], args["group_by"], args.get("platform")))

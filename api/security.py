"""Security headers on every response, CORS for the browser extension only, per-endpoint body caps.

Headers: every response says ``nosniff``, sends no referrer, may not be framed and carries a
Content-Security-Policy. JSON needs nothing loaded (``default-src 'none'``); the dashboard sets
its own (``api/dashboard.py``: its own scripts and styles, nothing inline); the Swagger UI page at
/docs may run the app's scripts plus its one inline script, allowed by hash, not ``unsafe-inline``.
The app sends no ``Server`` header; gunicorn's is the bare word ``gunicorn``, and the development
server's is made the bare word ``Werkzeug``.

CORS: the extension calls the API from its service worker. Browsers skip CORS for hosts an
extension holds a host permission for, but an API outside them (or a browser that enforces it)
makes a CORS request from ``chrome-extension://<id>`` or ``moz-extension://<uuid>``, preflighted
because it sends ``Authorization`` and JSON. So preflights from the origins in ``CORS_ORIGINS``
(default: any extension origin) get 204 with the methods and headers the API takes, their
requests get ``Access-Control-Allow-Origin`` and can read ``Retry-After``; any other origin's
preflight gets 403 and its responses no CORS header, so a web page cannot read the API.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterable
from html.parser import HTMLParser

import regex
from flask import Flask, Response, current_app, request
from flask_smorest import abort
from werkzeug.serving import WSGIRequestHandler

#: Paths the extension calls; the dashboard and docs are same-origin pages and need no CORS.
CORS_PATHS = ("/v1/", "/healthz", "/readyz")
CORS_ALLOW_HEADERS = "Authorization, Content-Type, Accept"
CORS_EXPOSE_HEADERS = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
CORS_MAX_AGE = "600"
#: Longer Origin headers are not origins anyone serves an extension or a page from.
MAX_ORIGIN_LENGTH = 256
#: A ``*`` in a CORS_ORIGINS entry stands for one DNS label or extension id: never a dot or slash.
WILDCARD = "[A-Za-z0-9-]+"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
}
DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"
DOCS_CSP = (
    "default-src 'none'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
HSTS = "max-age=31536000"
#: Endpoints with a body cap below MAX_CONTENT_LENGTH, and the setting that holds it.
BODY_CAPS = {"stats.events": "MAX_EVENT_BYTES"}


def origin_pattern(origins: Iterable[str]) -> regex.Pattern[str] | None:
    """Compile CORS_ORIGINS entries (exact origins, ``*`` for one label, or ``*`` alone) to one pattern."""
    alternatives = []
    for origin in origins:
        if origin == "*":
            alternatives.append(".+")
        else:
            alternatives.append(regex.escape(origin.rstrip("/")).replace(r"\*", WILDCARD))
    if not alternatives:
        return None
    return regex.compile("(?:" + "|".join(alternatives) + ")")


def allowed_origin(origin: str | None) -> str | None:
    """Return ``origin`` if CORS_ORIGINS allows it, else None."""
    pattern: regex.Pattern[str] | None = current_app.extensions["cors_origins"]
    if not origin or pattern is None or len(origin) > MAX_ORIGIN_LENGTH:
        return None
    return origin if pattern.fullmatch(origin, timeout=0.1) else None


def is_cors_path(path: str) -> bool:
    """Return whether ``path`` is one the extension calls."""
    return path.startswith(CORS_PATHS)


def answer_preflight() -> Response | None:
    """Answer a CORS preflight to the API before keys or rate limits are looked at (never counted)."""
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    if not is_cors_path(request.path) or request.url_rule is None:
        return None  # Flask answers: 404, or its plain OPTIONS response
    origin = allowed_origin(request.headers.get("Origin"))
    if origin is None:
        abort(403, message="This origin may not call the API from a browser; see CORS_ORIGINS.")
    methods = sorted((request.url_rule.methods or set()) - {"HEAD"})
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
    response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
    response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    response.vary.add("Origin")
    return response


def cap_body() -> None:
    """Apply the body cap (lower for endpoints whose bodies are always small): 413 past it."""
    setting = BODY_CAPS.get(request.endpoint or "")
    if setting is not None:
        request.max_content_length = current_app.config[setting]
    streamed = request.content_length is None and request.environ.get("wsgi.input_terminated")
    if streamed and request.method in ("POST", "PUT", "PATCH"):
        buffer_streamed_body()


def buffer_streamed_body() -> None:
    """Read a body sent without Content-Length (chunked) up to the cap, so that past it the answer is 413.

    Werkzeug stops reading such a body exactly at the cap and hands on the truncated bytes, so an
    oversized body would read as broken JSON (400) rather than too large (413).
    """
    cap = request.max_content_length
    if cap is None:
        return
    stream = request.environ["wsgi.input"]
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = stream.read(min(65536, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        abort(413, message="The body is larger than the server accepts.")
    request.environ["wsgi.input"] = io.BytesIO(b"".join(chunks))
    request.environ["CONTENT_LENGTH"] = str(size)
    request.environ.pop("HTTP_TRANSFER_ENCODING", None)


class _InlineScripts(HTMLParser):
    """Collect the text of every ``<script>`` without ``src``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inline = tag == "script" and not any(name == "src" for name, _ in attrs)
        if self._inline:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inline = False

    def handle_data(self, data: str) -> None:
        if self._inline:
            self.scripts[-1] += data


def script_hashes(html: str) -> str:
    """Return the CSP source list allowing exactly the inline scripts of ``html``."""
    parser = _InlineScripts()
    parser.feed(html)
    digests = (hashlib.sha256(script.encode("utf-8")).digest() for script in parser.scripts)
    return " ".join(f"'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests)


def add_headers(response: Response) -> Response:
    """Add the security headers (keeping any a blueprint set) and, for allowed origins, CORS."""
    if request.endpoint == DOCS_ENDPOINT and response.mimetype == "text/html":
        hashes = script_hashes(response.get_data(as_text=True))
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP.format(hashes=hashes))
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if is_cors_path(request.path):
        response.vary.add("Origin")
        origin = allowed_origin(request.headers.get("Origin"))
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    return response


def hide_dev_server_version() -> None:
    """Make ``flask run`` send ``Server: Werkzeug`` without the Werkzeug and Python versions.

    The development server has no setting for it; gunicorn (``make serve``) already sends only
    ``gunicorn``.
    """
    WSGIRequestHandler.version_string = lambda self: "Werkzeug"  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Register the hooks; call before any other ``before_request`` so preflights skip keys and limits."""
    hide_dev_server_version()
    app.extensions["cors_origins"] = origin_pattern(app.config["CORS_ORIGINS"])
    app.before_request(answer_preflight)
    app.before_request(cap_body)
    app.after_request(add_headers)

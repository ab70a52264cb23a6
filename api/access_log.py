"""Request logging that never records a body, a query string or an exception's message.

Post text only ever travels in request bodies; exception messages can quote their input, so
unexpected errors are logged by type and code location only.
"""

from __future__ import annotations

import logging
import time
import traceback

from flask import Flask, g, request
from flask.wrappers import Response

log = logging.getLogger("api.access")


def init_app(app: Flask) -> None:
    """Log one line per request (method, path, status, duration) and scrub exception logs."""

    def start_timer() -> None:
        g.request_started = time.perf_counter()

    # First of all before-request hooks, so requests that auth or limits abort are timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)

    @app.after_request
    def log_request(response: Response) -> Response:
        if request.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            return response  # gunicorn writes its own JSON access line (gunicorn.conf.py)
        elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        log.info("%s %s %d %.1fms", request.method, request.path, response.status_code, elapsed_ms)
        return response

    def log_exception(exc_info) -> None:  # type: ignore[no-untyped-def]
        _, exc, tb = exc_info
        where = "; ".join(f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)[-5:])
        app.logger.error(
            "Unhandled %s on %s %s at %s", type(exc).__name__, request.method, request.path, where
        )

    app.log_exception = log_exception  # type: ignore[method-assign]

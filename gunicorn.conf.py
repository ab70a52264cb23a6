"""gunicorn settings for ``make serve`` (``gunicorn -c gunicorn.conf.py wsgi:app``).

The app is loaded once in the master (``preload_app``) and forked, so the spaCy model's memory
is shared copy-on-write by every worker. Workers hold no state of their own: keys and rate
limits live in Redis (``REDIS_URL``), so capacity grows with workers and hosts.
"""

from __future__ import annotations

import gc
import json
import os
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
# A full batch (1 MiB of text) takes seconds, not minutes; a worker stuck longer is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def when_ready(server: Any) -> None:
    """Freeze the preloaded objects so the garbage collector never writes to their pages.

    Without this a collection in a worker touches every object's header and copies the model's
    memory into each worker, undoing preload_app.
    """
    gc.freeze()


class JsonAccessLogger(Logger):
    """One JSON object per request: never a body, a query string or request headers."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """Log method, path (without query), status, size, duration, client and worker."""
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        record = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"] or 0,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "worker": os.getpid(),
        }
        self.access_log.info(json.dumps(record))


logger_class = JsonAccessLogger

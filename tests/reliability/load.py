"""A small load generator for the fault tests: threads sending real HTTP requests on loopback, flat out.

Every request gets a fresh connection, as gunicorn's sync workers close each one anyway. Each
outcome is kept (start time, duration, status, label) so a test can split a run into phases.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Not a single word of these ever appears in a log line: the tests grep for the run's marker.
TEMPLATES = (
    "Lovely evening walk along the river in Almaty, day {n} of my photo diary {marker}. See you soon!",
    "Call me on +7 701 {a:03d} {b:02d} {c:02d} if you find my blue umbrella in the library {marker}",
    "Group project meeting moved to Thursday, room {a}; bring the slides and the printed handout {marker}",
    "Cannot believe the queue at the canteen today, {a} people ahead of me and one till open {marker}",
    "Dr Aidana Bekova said the exam board meets on the {c}th, so marks come out after that {marker}",
)


#: Pause after a request got no answer at all (server down or restarting).
RETRY_PAUSE = 0.05


def post_text(marker: str, n: int) -> str:
    """Return the ``n``-th distinct post of a run (no cache answers it), tagged with the run's marker."""
    template = TEMPLATES[n % len(TEMPLATES)]
    return template.format(n=n, a=n % 997, b=n % 89, c=1 + n % 28, marker=f"{marker}{n}")


@dataclass(frozen=True)
class Answer:
    """One HTTP answer."""

    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        """Return the body parsed as JSON."""
        return json.loads(self.body)


def call(
    host: str,
    port: int,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Answer:
    """Send one request on a new connection; raise ``OSError`` or ``http.client`` errors without an answer."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        data = None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = dict(headers or {})
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        payload = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, payload)
    finally:
        connection.close()


@dataclass(frozen=True)
class Request:
    """What a load thread sends next."""

    method: str
    path: str
    body: Any = None
    headers: dict[str, str] | None = None
    label: str = ""


@dataclass(frozen=True)
class Outcome:
    """What happened to one request."""

    started: float  # time.monotonic() when it was sent
    seconds: float
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    label: str
    error: str = ""
    headers: dict[str, str] | None = None


class Load:
    """``threads`` threads sending ``make(n)`` requests, each once the last is answered, until stopped."""

    def __init__(
        self,
        host: str,
        port: int,
        make: Callable[[int], Request],
        threads: int,
        timeout: float = 30.0,
        keep_headers: bool = False,
    ) -> None:
        self.host, self.port, self.make, self.timeout = host, port, make, timeout
        self.keep_headers = keep_headers
        self.outcomes: list[Outcome] = []
        self._count = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> list[Outcome]:
        """Stop sending, wait for the requests in flight, and return every outcome by start time."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 5)
        return sorted(self.outcomes, key=lambda o: o.started)

    def _take(self) -> int:
        """Return the next request number."""
        with self._lock:
            self._count += 1
            return self._count - 1

    def _run(self) -> None:
        while not self._stop.is_set():
            request = self.make(self._take())
            started = time.monotonic()
            try:
                answer = call(
                    self.host,
                    self.port,
                    request.method,
                    request.path,
                    request.body,
                    request.headers,
                    self.timeout,
                )
                outcome = Outcome(
                    started,
                    time.monotonic() - started,
                    answer.status,
                    request.label,
                    headers=answer.headers if self.keep_headers else None,
                )
            except (OSError, http.client.HTTPException) as error:
                outcome = Outcome(started, time.monotonic() - started, 0, request.label, type(error).__name__)
            with self._lock:
                self.outcomes.append(outcome)
            if outcome.status == 0:
                self._stop.wait(RETRY_PAUSE)  # as a client would, rather than spin on a closed port


def percentile(values: list[float], share: float) -> float:
    """Return the value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Return counts by status and latency percentiles in milliseconds."""
    seconds = [o.seconds for o in outcomes]
    return {
        "requests": len(outcomes),
        "statuses": {str(k): v for k, v in sorted(Counter(o.status for o in outcomes).items())},
        "errors": sorted(Counter(o.error for o in outcomes if o.error).items()),
        "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
        "p90_ms": round(percentile(seconds, 0.90) * 1000, 1),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
        "max_ms": round(max(seconds, default=0.0) * 1000, 1),
    }

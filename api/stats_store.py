"""Aggregate counters of checks and extension events, and nothing else.

What one check adds, to the counters of its UTC day and platform (``x``, ``facebook``… ``other``):

- ``checks`` +1, and ``warned_posts`` +1 if anything was found;
- ``category:<category>`` +1 for each category found (once per post, however many findings);
- ``type:<category>:<type>:<severity>`` +1 for each distinct kind of finding in the post.

What one event from the extension adds: ``event:<event>`` +1, and ``event:<event>:<category>`` +1
for each category it names. Counting kinds once per post keeps one student who pastes fifty phone
numbers from weighing fifty times.

A counter's name is built only from closed sets (platforms, events, categories, severities and the
detectors' own type ids), never from the post: no text, offsets, key, IP, user or device id is
ever passed in, so nothing stored can be joined back to a person or a post.

Where: Redis when ``REDIS_URL`` is set, one hash per day (``ppc:{stats}:day:YYYY-MM-DD``) updated
with HINCRBY in a MULTI/EXEC pipeline, so every worker and host adds atomically, and expiring
``STATS_RETENTION_DAYS`` after its day. Otherwise a table of the embedded SQLite file (upserts),
which survives restarts and is pruned to the same retention.

Recording never holds up or fails a check: when the store cannot be reached the record is counted
as lost in this process, one warning is logged for the whole outage, and when the store answers
again the lost count is added to that day's ``unrecorded`` counter. Counters already stored are
never touched by a failure.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import redis
import regex
from flask import Flask, current_app

from api.schemas import PLATFORMS
from api.store import Store, StoreUnavailable
from nlp.analyzer import Analysis
from nlp.finding import SEVERITIES
from nlp.policy import CATEGORIES

log = logging.getLogger(__name__)

EVENTS = ("warning_shown", "fix_applied", "edited_before_posting", "posted_anyway", "post_cancelled")
#: What happened to a warned post in the end; "revised or cancelled" is the first two.
OUTCOME_EVENTS = ("edited_before_posting", "post_cancelled", "posted_anyway")
#: Records the store could not take, added to their day once it answers again (not per platform).
UNRECORDED = "-|unrecorded"
#: Type ids come from the detectors' code, but are checked anyway: nothing free-form is stored.
_TYPE_ID = regex.compile(r"[a-z][a-z0-9_]{0,39}")
#: Failures that mean "the store cannot take this now", as opposed to a bug in the caller.
RECORDING_ERRORS = (StoreUnavailable, redis.RedisError, sqlite3.Error, OSError)


def field(platform: str, measure: str) -> str:
    """Return the stored name of a counter: ``<platform>|<measure>``."""
    return f"{platform}|{measure}"


def check_counts(analysis: Analysis, platform: str) -> Counter[str]:
    """Return the counters one checked post adds."""
    platform = platform if platform in PLATFORMS else "other"
    counts: Counter[str] = Counter({field(platform, "checks"): 1})
    if not analysis.findings:
        return counts
    counts[field(platform, "warned_posts")] = 1
    kinds = set()
    for finding in analysis.findings:
        if finding.category not in CATEGORIES or finding.severity not in SEVERITIES:
            continue
        type_ = finding.type if _TYPE_ID.fullmatch(finding.type) else "other"
        kinds.add((finding.category, type_, finding.severity))
    for category in {category for category, _, _ in kinds}:
        counts[field(platform, f"category:{category}")] = 1
    for category, type_, severity in kinds:
        counts[field(platform, f"type:{category}:{type_}:{severity}")] = 1
    return counts


def event_counts(event: str, categories: Iterable[str], platform: str) -> Counter[str]:
    """Return the counters one extension event adds (categories named once each)."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    platform = platform if platform in PLATFORMS else "other"
    counts: Counter[str] = Counter({field(platform, f"event:{event}"): 1})
    for category in set(categories) & set(CATEGORIES):
        counts[field(platform, f"event:{event}:{category}")] = 1
    return counts


def utc_today() -> date:
    """Return today's date in UTC: the day every counter is filed under."""
    return datetime.now(UTC).date()


class StatsBackend(ABC):
    """Where the daily counters live."""

    kind: str

    def __init__(self, store: Store, retention_days: int) -> None:
        self.store = store
        self.retention_days = retention_days

    @abstractmethod
    def add(self, day: date, counts: Mapping[str, int]) -> None:
        """Add ``counts`` to the counters of ``day``, all or nothing."""

    @abstractmethod
    def load(self, first: date, last: date) -> dict[date, dict[str, int]]:
        """Return the counters of every stored day from ``first`` to ``last``."""


class RedisStatsBackend(StatsBackend):
    """One Redis hash per day; every key shares the ``{stats}`` hash tag (Redis Cluster-safe)."""

    kind = "redis"
    PREFIX = "ppc:{stats}:day:"

    def key(self, day: date) -> str:
        """Return the Redis key of a day's counters."""
        return self.PREFIX + day.isoformat()

    def expires_at(self, day: date) -> int:
        """Return when a day's counters expire: ``retention_days`` after the day ends (Unix time)."""
        end = datetime.combine(day + timedelta(days=self.retention_days + 1), time(), tzinfo=UTC)
        return int(end.timestamp())

    def add(self, day: date, counts: Mapping[str, int]) -> None:
        key = self.key(day)

        def write(client: redis.Redis) -> None:  # type: ignore[type-arg]
            with client.pipeline(transaction=True) as pipe:
                for name, amount in counts.items():
                    pipe.hincrby(key, name, amount)
                pipe.expireat(key, self.expires_at(day))
                pipe.execute()

        self.store.call(write)

    def load(self, first: date, last: date) -> dict[date, dict[str, int]]:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]

        def read(client: redis.Redis) -> list[dict[bytes, bytes]]:  # type: ignore[type-arg]
            with client.pipeline(transaction=False) as pipe:
                for day in days:
                    pipe.hgetall(self.key(day))
                return pipe.execute()  # type: ignore[no-any-return]

        rows = self.store.call(read) if days else []
        return {
            day: {name.decode(): int(value) for name, value in fields.items()}
            for day, fields in zip(days, rows, strict=True)
            if fields
        }


class SqliteStatsBackend(StatsBackend):
    """A table of the embedded SQLite file: one row per day and counter."""

    kind = "sqlite"
    SCHEMA = """CREATE TABLE IF NOT EXISTS stats_daily (
        day TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, name)
    ) WITHOUT ROWID"""
    UPSERT = """INSERT INTO stats_daily (day, name, n) VALUES (?, ?, ?)
        ON CONFLICT (day, name) DO UPDATE SET n = n + excluded.n"""

    def __init__(self, store: Store, retention_days: int) -> None:
        super().__init__(store, retention_days)
        self._pruned_on: date | None = None
        # One connection per process, shared by its threads under a lock: opening and closing a
        # connection per check would checkpoint the WAL (an fsync) every time.
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._lock = threading.Lock()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._connection is None or self._pid != os.getpid():
                path = self.store.sqlite_path
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, timeout=5, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                # NORMAL survives a crash of the app (not of the machine): a counter is not worth an fsync.
                connection.execute("PRAGMA synchronous=NORMAL")
                self._connection, self._pid = connection, os.getpid()
            try:
                with self._connection:
                    self._connection.execute(self.SCHEMA)
                    yield self._connection
            except sqlite3.Error:
                self._connection.close()  # reopen next time: the file may have been replaced
                self._connection = None
                raise

    def add(self, day: date, counts: Mapping[str, int]) -> None:
        with self._transaction() as db:
            db.executemany(self.UPSERT, [(day.isoformat(), name, amount) for name, amount in counts.items()])
            if self._pruned_on != day:
                cutoff = day - timedelta(days=self.retention_days)
                db.execute("DELETE FROM stats_daily WHERE day < ?", (cutoff.isoformat(),))
        self._pruned_on = day

    def load(self, first: date, last: date) -> dict[date, dict[str, int]]:
        with self._transaction() as db:
            rows = db.execute(
                "SELECT day, name, n FROM stats_daily WHERE day BETWEEN ? AND ?",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        daily: dict[date, dict[str, int]] = {}
        for day, name, amount in rows:
            daily.setdefault(date.fromisoformat(day), {})[name] = int(amount)
        return daily


class StatsRecorder:
    """Adds checks and events to the counters; never raises, never slows a check for long."""

    def __init__(self, backend: StatsBackend, today: Callable[[], date] = utc_today) -> None:
        self.backend = backend
        self.today = today
        self.lost = 0  # records this process could not store, since it started
        self._pending_lost: Counter[date] = Counter()
        self._failing = False
        self._lock = threading.Lock()

    def record_check(self, analysis: Analysis, platform: str) -> None:
        """Count one checked post."""
        self._add(check_counts(analysis, platform), 1)

    def record_checks(self, checked: Iterable[tuple[Analysis, str]]) -> None:
        """Count a batch of checked posts in one write."""
        counts: Counter[str] = Counter()
        records = 0
        for analysis, platform in checked:
            counts.update(check_counts(analysis, platform))
            records += 1
        if records:
            self._add(counts, records)

    def record_event(self, event: str, categories: Iterable[str], platform: str) -> None:
        """Count one event reported by the extension."""
        self._add(event_counts(event, categories, platform), 1)

    def _add(self, counts: Mapping[str, int], records: int) -> None:
        day = self.today()
        try:
            self.backend.add(day, counts)
        except RECORDING_ERRORS as error:
            with self._lock:
                self.lost += records
                self._pending_lost[day] += records
                first_failure, self._failing = not self._failing, True
            if first_failure:
                log.warning(
                    "Statistics store (%s) failed with %s: checks go on, their statistics are counted "
                    "as lost until it answers again",
                    self.backend.kind,
                    type(error).__name__,
                )
            return
        if self._failing:
            self._recover()

    def _recover(self) -> None:
        """Log the end of an outage once and file what was lost under its days."""
        with self._lock:
            if not self._failing:
                return
            pending, self._pending_lost, self._failing = self._pending_lost, Counter(), False
        log.warning(
            "Statistics store (%s) answers again; %d records were lost",
            self.backend.kind,
            sum(pending.values()),
        )
        for day, records in sorted(pending.items()):
            try:
                self.backend.add(day, {UNRECORDED: records})
            except RECORDING_ERRORS:
                with self._lock:
                    self._pending_lost[day] += records
                    self._failing = True
                return

    def load(self, first: date, last: date) -> dict[date, dict[str, int]]:
        """Return the stored counters of the retained days between ``first`` and ``last``."""
        oldest = self.today() - timedelta(days=self.backend.retention_days)
        first = max(first, oldest)
        return self.backend.load(first, last) if first <= last else {}


def init_app(app: Flask) -> None:
    """Give the app its recorder, on the backend the shared store chose (after ``api.store``)."""
    store: Store = app.extensions["store"]
    retention = app.config["STATS_RETENTION_DAYS"]
    backend_class = RedisStatsBackend if store.redis is not None else SqliteStatsBackend
    app.extensions["stats"] = StatsRecorder(backend_class(store, retention))


def get_recorder(app: Flask | None = None) -> StatsRecorder:
    """Return the statistics recorder of ``app`` (default: the current app)."""
    return (app or current_app).extensions["stats"]

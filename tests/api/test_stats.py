"""Statistics end to end: counters recorded by /v1/check and /v1/events, read back by /v1/stats.

Every test that stores something runs on both stores: the embedded SQLite file and a real
redis-server (``tests/redis_server.py``).
"""

from __future__ import annotations

import csv
import io
import logging
import random
import sqlite3
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from api.keys import get_keys
from api.schemas import PLATFORMS
from api.stats_report import Release, period_label
from api.stats_store import RedisStatsBackend, field, get_recorder
from nlp.policy import CATEGORIES

DAY = date(2025, 3, 12)  # a Wednesday, for data that never goes to Redis
# Redis expires a day's counters STATS_RETENTION_DAYS after it: data there must be recent.
_TWO_WEEKS_AGO = date.today() - timedelta(days=14)
RECENT = _TWO_WEEKS_AGO - timedelta(days=(_TWO_WEEKS_AGO.weekday() - 2) % 7)  # a Wednesday
BRANDING = "Printed the DMUK logo on our club banner"
PHONE = "call me on +7 701 123 45 67"
BOTH = "Printed the DMUK logo on our banner, call me on +7 701 123 45 67"
HARMLESS = "hello all, lovely weather today"
STORES = ["sqlite", pytest.param("redis", marks=pytest.mark.redis)]


@pytest.fixture(autouse=True)
def fresh_statistics(monkeypatch):
    """Recompute the protected statistics on every request (tests record, then read at once)."""
    monkeypatch.setenv("STATS_CACHE_SECONDS", "0")


@pytest.fixture(params=STORES)
def store(request) -> str:
    """Which store the test runs on."""
    return request.param


@pytest.fixture
def make_app(app_factory, store, request):
    """Build apps on the test's store, without rate limits unless asked, with k=1 unless asked."""

    def make(**overrides):
        config = {"RATELIMIT_ENABLED": False, "STATS_MIN_COUNT": 1}
        if store == "redis":
            config["REDIS_URL"] = request.getfixturevalue("redis_url")
        config.update(overrides)
        return app_factory(**config)

    return make


def keys_for(app) -> dict[str, str]:
    """Create a stats key and a check-only key; return their bearer headers."""
    with app.app_context():
        keys = get_keys()
        stats, check = keys.create("office", ("stats",)), keys.create("bot", ("check",))
    return {"stats": f"Bearer {stats}", "check": f"Bearer {check}"}


def on_day(app, day: date) -> None:
    """File every following record under ``day``."""
    get_recorder(app).today = lambda: day


def check(client, text: str, platform: str) -> set[tuple[str, str, str]]:
    """Check a post through the API; return its distinct (category, type, severity)."""
    response = client.post("/v1/check", json={"text": text, "platform": platform})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {(f["category"], f["type"], f["severity"]) for f in response.get_json()["findings"]}


def stats(client, auth: str, **params):
    """GET /v1/stats and return the JSON body (asserting 200)."""
    response = client.get("/v1/stats", query_string=params, headers={"Authorization": auth})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_counts_add_up_per_category_platform_and_day(make_app):
    app = make_app()
    client = app.test_client()
    auth = keys_for(app)["stats"]
    posts = [
        (RECENT, BRANDING, "instagram"),
        (RECENT, BRANDING, "instagram"),
        (RECENT, PHONE, "x"),
        (RECENT, HARMLESS, "x"),
        (RECENT + timedelta(days=1), BOTH, "whatsapp"),
        (RECENT + timedelta(days=1), HARMLESS, "reddit"),
        (RECENT + timedelta(days=5), PHONE, "x"),  # next ISO week
    ]
    expected: Counter[tuple[str, str, str]] = Counter()  # (day, platform, measure)
    for day, text, platform in posts:
        on_day(app, day)
        kinds = check(client, text, platform)
        expected[(day.isoformat(), platform, "checks")] += 1
        expected[(day.isoformat(), platform, "warned_posts")] += bool(kinds)
        for category in {c for c, _, _ in kinds}:
            expected[(day.isoformat(), platform, category)] += 1
    assert expected[(RECENT.isoformat(), "instagram", "university_branding")] == 2  # the texts still warn
    on_day(app, RECENT)
    events = [
        ("warning_shown", ["university_branding"], "instagram"),
        ("edited_before_posting", ["university_branding"], "instagram"),
        ("posted_anyway", ["personal_data"], "x"),
        ("post_cancelled", ["personal_data", "university_branding"], "x"),
        ("fix_applied", ["personal_data"], "x"),
    ]
    for event, categories, platform in events:
        response = client.post(
            "/v1/events", json={"event": event, "categories": categories, "platform": platform}
        )
        assert response.status_code == 204
        assert response.get_data() == b""

    on_day(app, RECENT + timedelta(days=6))  # today, for the queries
    body = stats(client, auth, **{"from": RECENT.isoformat(), "to": (RECENT + timedelta(days=6)).isoformat()})
    assert body["min_count"] == 1
    rows = {row["period"]: row for row in body["periods"]}
    assert len(rows) == 7
    for day in (RECENT + timedelta(days=n) for n in range(7)):
        row = rows[day.isoformat()]
        assert row["checks"] == sum(expected[(day.isoformat(), p, "checks")] for p in PLATFORMS)
        assert row["warned_posts"] == sum(expected[(day.isoformat(), p, "warned_posts")] for p in PLATFORMS)
        for platform in PLATFORMS:
            assert row["platforms"][platform] == {
                "checks": expected[(day.isoformat(), platform, "checks")],
                "warned_posts": expected[(day.isoformat(), platform, "warned_posts")],
            }
        for category in CATEGORIES:
            assert row["categories"][category] == sum(
                expected[(day.isoformat(), p, category)] for p in PLATFORMS
            )
    assert body["summary"]["checks"] == len(posts)
    assert body["summary"]["categories"]["university_branding"] == 3
    outcomes = rows[RECENT.isoformat()]["outcomes"]
    assert outcomes == {
        "warning_shown": 1,
        "fix_applied": 1,
        "edited_before_posting": 1,
        "posted_anyway": 1,
        "post_cancelled": 1,
        "total": 3,
        "revised_or_cancelled_share": 0.667,
    }
    branding = rows[RECENT.isoformat()]["outcomes_by_category"]["university_branding"]
    assert (branding["edited_before_posting"], branding["post_cancelled"], branding["posted_anyway"]) == (
        1,
        1,
        0,
    )
    assert {"category": "university_branding", "type": "logo", "severity": "medium", "posts": 2} in rows[
        RECENT.isoformat()
    ]["types"]

    # Weeks and months are the sums of their days; a platform filter is that platform's slice.
    weeks = stats(
        client,
        auth,
        **{"from": RECENT.isoformat(), "to": (RECENT + timedelta(days=6)).isoformat(), "group_by": "week"},
    )
    assert [w["period"] for w in weeks["periods"]] == [
        period_label(RECENT, "week"),
        period_label(RECENT + timedelta(days=5), "week"),
    ]
    assert [w["checks"] for w in weeks["periods"]] == [6, 1]  # Wednesday to Sunday, then Monday
    months = stats(
        client,
        auth,
        **{"from": RECENT.isoformat(), "group_by": "month", "to": (RECENT + timedelta(days=6)).isoformat()},
    )
    assert months["from"] == RECENT.replace(day=1).isoformat()
    by_month = Counter(period_label(day, "month") for day, _, _ in posts)
    assert {m["period"]: m["checks"] for m in months["periods"]} == dict(by_month)
    only_x = stats(client, auth, **{"from": RECENT.isoformat(), "to": RECENT.isoformat(), "platform": "x"})
    assert only_x["platform"] == "x" and "platforms" not in only_x["periods"][0]
    assert only_x["periods"][0]["checks"] == 2
    assert only_x["periods"][0]["outcomes"]["total"] == 2


def test_batch_items_are_counted_like_single_checks(make_app):
    app = make_app()
    client = app.test_client()
    on_day(app, RECENT)
    items = [
        {"id": "1", "text": BRANDING, "platform": "tiktok"},
        {"id": "2", "text": HARMLESS, "platform": "tiktok"},
        {"id": "3", "text": "", "platform": "tiktok"},
    ]
    assert client.post("/v1/check/batch", json={"items": items}).status_code == 200
    row = stats(client, keys_for(app)["stats"], **{"from": RECENT.isoformat(), "to": RECENT.isoformat()})[
        "periods"
    ][0]
    assert row["platforms"]["tiktok"] == {"checks": 2, "warned_posts": 1}  # the empty item was not checked


def test_sqlite_counters_survive_a_restart(app_factory, tmp_path):
    first = app_factory(RATELIMIT_ENABLED=False, STATS_MIN_COUNT=1)
    on_day(first, DAY)
    check(first.test_client(), BRANDING, "x")
    second = app_factory(RATELIMIT_ENABLED=False, STATS_MIN_COUNT=1)  # same instance folder
    on_day(second, DAY)
    assert get_recorder(second).backend.kind == "sqlite"
    row = stats(
        second.test_client(), keys_for(second)["stats"], **{"from": DAY.isoformat(), "to": DAY.isoformat()}
    )
    assert row["periods"][0]["checks"] == 1
    assert (tmp_path / "prepost.sqlite3").exists()


@pytest.mark.redis
def test_redis_counters_are_one_hash_per_day_expiring_after_retention(app_factory, redis_url, redis_server):
    app = app_factory(RATELIMIT_ENABLED=False, REDIS_URL=redis_url, STATS_RETENTION_DAYS=10)
    today = date.today()
    on_day(app, today)
    check(app.test_client(), PHONE, "linkedin")
    client = redis_server.client()
    key = RedisStatsBackend.PREFIX + today.isoformat()
    assert client.hget(key, field("linkedin", "checks")) == b"1"
    assert client.hget(key, field("linkedin", "category:personal_data")) == b"1"
    ttl = client.ttl(key)
    assert 10 * 86400 < ttl <= 11 * 86400


def test_sqlite_prunes_days_past_retention(app_factory, tmp_path):
    app = app_factory(RATELIMIT_ENABLED=False, STATS_RETENTION_DAYS=10)
    recorder = get_recorder(app)
    recorder.backend.add(DAY - timedelta(days=11), {field("x", "checks"): 5})
    recorder.backend.add(DAY - timedelta(days=10), {field("x", "checks"): 5})
    recorder.backend.add(DAY, {field("x", "checks"): 1})
    with sqlite3.connect(tmp_path / "prepost.sqlite3") as db:
        days = [row[0] for row in db.execute("SELECT DISTINCT day FROM stats_daily ORDER BY day")]
    assert days == [(DAY - timedelta(days=10)).isoformat(), DAY.isoformat()]


# --- Privacy -------------------------------------------------------------------------------------


def redis_dump(client) -> bytes:
    """Return every key and value in Redis, read the way its type needs."""
    chunks = []
    for key in client.scan_iter(count=1000):
        chunks.append(key)
        kind = client.type(key)
        if kind == b"string":
            chunks.append(client.get(key) or b"")
        elif kind == b"hash":
            chunks.extend(b for pair in client.hgetall(key).items() for b in pair)
        elif kind == b"list":
            chunks.extend(client.lrange(key, 0, -1))
        elif kind == b"set":
            chunks.extend(client.smembers(key))
        elif kind == b"zset":
            chunks.extend(member for member, _ in client.zrange(key, 0, -1, withscores=True))
        elif kind == b"stream":
            chunks.extend(repr(client.xrange(key)).encode())
        else:
            pytest.fail(f"unexpected Redis type {kind!r} for {key!r}")
    return b"\n".join(chunks)


def stored_bytes(folder: Path) -> bytes:
    """Return the bytes of every file in the instance folder (the SQLite file, its WAL, secrets)."""
    return b"\n".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def encodings(marker: str) -> list[bytes]:
    """Return the ways a marker could be written down."""
    return [
        marker.encode("utf-8"),
        marker.encode("utf-16-le"),
        marker.lower().encode(),
        marker.upper().encode(),
    ]


def test_no_post_text_key_or_ip_reaches_the_store_or_the_logs(make_app, store, tmp_path, caplog, request):
    caplog.set_level(logging.DEBUG)
    app = make_app()
    auth = keys_for(app)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.77.66.55"
    markers = [f"Qz{n}marker{random.randrange(10**9)}" for n in range(4)]  # noqa: S311 - test data, not a secret
    texts = [
        f"{markers[0]} printed the DMUK logo on our banner",
        f"Ring {markers[1]} on +7 701 555 12 34, or mail {markers[1].lower()}@example.com",
        f"{markers[2]} said hello",
    ]
    for text in texts:
        assert client.post("/v1/check", json={"text": text, "platform": "x"}).status_code == 200
    keyed = client.post(
        "/v1/check", json={"text": f"{markers[3]} logo of DMUK"}, headers={"Authorization": auth["check"]}
    )
    assert keyed.status_code == 200
    batch = {"items": [{"id": markers[3], "text": text} for text in texts[:1]]}
    assert client.post("/v1/check/batch", json=batch).status_code == 200
    assert (
        client.post(
            "/v1/events", json={"event": "posted_anyway", "categories": ["personal_data"]}
        ).status_code
        == 204
    )
    body = stats(client, auth["stats"])
    assert body["summary"]["checks"] == 5  # the records were made, so there was something to leak

    secrets_ = [*markers, auth["check"].split()[1], auth["stats"].split()[1]]
    stored = stored_bytes(tmp_path)
    if store == "redis":
        redis_client = request.getfixturevalue("redis_server").client()
        stored += redis_dump(redis_client)
        stats_keys = list(redis_client.scan_iter(match=RedisStatsBackend.PREFIX + "*"))
        assert stats_keys, "statistics should be in Redis"
        stats_only = b"".join(
            k + b"".join(b for kv in redis_client.hgetall(k).items() for b in kv) for k in stats_keys
        )
        assert b"10.77.66.55" not in stats_only and b"office" not in stats_only and b"bot" not in stats_only
    else:
        with sqlite3.connect(tmp_path / "prepost.sqlite3") as db:
            rows = " ".join(f"{d} {n}" for d, n, _ in db.execute("SELECT day, name, n FROM stats_daily"))
        assert rows, "statistics should be in SQLite"
        assert "10.77.66.55" not in rows and "office" not in rows and "bot" not in rows
    for secret in secrets_:
        for encoded in encodings(secret):
            assert encoded not in stored, f"{secret!r} was stored"
        assert secret not in caplog.text
        assert secret.lower() not in caplog.text.lower()


# --- Suppression ---------------------------------------------------------------------------------


def seed(app, rng: random.Random, days: int, scale: int) -> None:
    """Write random counters straight into the store, as many checks would."""
    recorder = get_recorder(app)
    for offset in range(days):
        counts: dict[str, int] = {}
        for platform in PLATFORMS:
            checks = rng.randrange(scale)
            warned = rng.randrange(checks + 1)
            counts.update({field(platform, "checks"): checks, field(platform, "warned_posts"): warned})
            for category in rng.sample(CATEGORIES, 3):
                counts[field(platform, f"category:{category}")] = rng.randrange(warned + 1)
            for event in ("edited_before_posting", "post_cancelled", "posted_anyway"):
                counts[field(platform, f"event:{event}")] = rng.randrange(scale // 2)
        recorder.backend.add(DAY + timedelta(days=offset), {k: v for k, v in counts.items() if v})


def hidden_sum_is_safe(cells: list, total, k: int) -> bool:
    """Return whether the suppressed cells of a line stay hidden given its total: 0, or k or more."""
    if not isinstance(total, int):
        return True
    masked = [c for c in cells if not isinstance(c, int)]
    rest = total - sum(c for c in cells if isinstance(c, int))
    if not masked:
        return rest == 0
    return rest == 0 or (len(masked) >= 2 and rest >= k)


@pytest.mark.parametrize("scale", [4, 9, 30])
def test_no_suppressed_count_can_be_worked_out_from_totals(app_factory, scale):
    app = app_factory(STATS_MIN_COUNT=5)
    on_day(app, DAY + timedelta(days=40))
    seed(app, random.Random(scale), days=40, scale=scale)  # noqa: S311 - test data
    client = app.test_client()
    auth = keys_for(app)["stats"]
    query = {"from": "2025-03-01", "to": "2025-04-30"}  # whole months around the 40 days of data
    days = stats(client, auth, **query)
    weeks = {r["period"]: r for r in stats(client, auth, **query, group_by="week")["periods"]}
    months = {r["period"]: r for r in stats(client, auth, **query, group_by="month")["periods"]}
    values = [v for r in days["periods"] for v in (r["checks"], *r["categories"].values())]
    assert "<5" in values
    assert any(isinstance(v, int) for v in values)
    if scale == 9:
        assert "hidden" in values  # complementary suppression had work to do
    lines = 0
    for row in days["periods"]:
        for measure in ("checks", "warned_posts"):
            cells = [row["platforms"][p][measure] for p in PLATFORMS]
            assert hidden_sum_is_safe(cells, row[measure], 5), (row["period"], measure, cells, row[measure])
            lines += 1
        outcome = row["outcomes"]
        cells = [outcome["edited_before_posting"], outcome["post_cancelled"], outcome["posted_anyway"]]
        assert hidden_sum_is_safe(cells, outcome["total"], 5)
    for groups, group_by in ((weeks, "week"), (months, "month")):
        for label, group in groups.items():
            members = [
                r for r in days["periods"] if period_label(date.fromisoformat(r["period"]), group_by) == label
            ]
            length = (date.fromisoformat(group["end"]) - date.fromisoformat(group["start"])).days + 1
            if len(members) < length:
                continue  # the range cuts this period: its other days are not in the answer
            for measure in ("checks", "warned_posts"):
                assert hidden_sum_is_safe([r[measure] for r in members], group[measure], 5), (label, measure)
                lines += 1
            for category in CATEGORIES:
                assert hidden_sum_is_safe(
                    [r["categories"][category] for r in members], group["categories"][category], 5
                )
    assert lines > 80


def test_suppression_is_the_same_whatever_is_asked(app_factory):
    app = app_factory(STATS_MIN_COUNT=5)
    on_day(app, DAY + timedelta(days=20))
    seed(app, random.Random(3), days=20, scale=9)  # noqa: S311 - test data
    client = app.test_client()
    auth = keys_for(app)["stats"]
    wide = stats(client, auth, **{"from": DAY.isoformat(), "to": (DAY + timedelta(days=19)).isoformat()})
    narrow = stats(
        client,
        auth,
        **{"from": (DAY + timedelta(days=3)).isoformat(), "to": (DAY + timedelta(days=5)).isoformat()},
    )
    by_day = {r["period"]: r for r in wide["periods"]}
    for row in narrow["periods"]:
        assert row == by_day[row["period"]]  # no two ranges differ in a way one could subtract
    for platform in PLATFORMS:
        only = stats(
            client,
            auth,
            **{"from": DAY.isoformat(), "to": (DAY + timedelta(days=19)).isoformat(), "platform": platform},
        )
        for row in only["periods"]:
            assert by_day[row["period"]]["platforms"][platform] == {
                "checks": row["checks"],
                "warned_posts": row["warned_posts"],
            }


@pytest.mark.parametrize(
    ("instagram", "x", "shown"),
    [
        (3, 20, {"instagram": "<5", "x": "hidden", "all": 23}),  # x would give instagram away: hidden too
        (3, 2, {"instagram": "<5", "x": "<5", "all": 5}),  # two small cells adding up to k are safe
        (0, 20, {"instagram": "<5", "x": 20, "all": 20}),  # none is shown as "<5", and hides nothing
        (5, 20, {"instagram": 5, "x": 20, "all": 25}),  # k itself is shown
        (4, 4, {"instagram": "<5", "x": "<5", "all": 8}),
        (1, 2, {"instagram": "<5", "x": "<5", "all": "<5"}),
    ],
)
def test_small_counts_read_below_k_and_their_complements_are_hidden(instagram, x, shown):
    counts = {field("instagram", "checks"): instagram, field("x", "checks"): x}
    release = Release({DAY: {k: v for k, v in counts.items() if v}}, k=5)
    label = DAY.isoformat()
    assert {p: release.value((label, p, "checks")) for p in ("instagram", "x", "all")} == shown


def test_a_hidden_cell_is_not_left_alone_in_another_line():
    # Day 1: instagram 3, x 20, so x is hidden. Day 2: instagram 10, x 30. The week of x is 50:
    # with day 1 alone hidden it would give x's 20 back, so day 2 of x is hidden too, and then
    # day 2 of instagram, or day 2's total would give that back.
    daily = {
        DAY: {field("instagram", "checks"): 3, field("x", "checks"): 20},
        DAY + timedelta(days=1): {field("instagram", "checks"): 10, field("x", "checks"): 30},
    }
    release = Release(daily, k=5)
    day1, day2, week = DAY.isoformat(), (DAY + timedelta(days=1)).isoformat(), period_label(DAY, "week")
    assert release.value((day1, "x", "checks")) == "hidden"
    assert release.value((day2, "x", "checks")) == "hidden"
    assert release.value((day2, "instagram", "checks")) == "hidden"
    assert [release.value((week, p, "checks")) for p in ("instagram", "x", "all")] == [13, 50, 63]
    assert [release.value((d, "all", "checks")) for d in (day1, day2)] == [23, 40]


def test_k_comes_from_the_environment_and_labels_follow_it(app_factory, monkeypatch):
    monkeypatch.setenv("STATS_MIN_COUNT", "10")
    app = app_factory()
    on_day(app, DAY)
    get_recorder(app).backend.add(
        DAY, {field("x", "checks"): 9, field("reddit", "checks"): 12, field("facebook", "checks"): 30}
    )
    body = stats(
        app.test_client(), keys_for(app)["stats"], **{"from": DAY.isoformat(), "to": DAY.isoformat()}
    )
    assert body["min_count"] == 10
    assert body["periods"][0]["platforms"]["x"]["checks"] == "<10"
    assert body["periods"][0]["platforms"]["reddit"]["checks"] == "hidden"
    assert body["periods"][0]["checks"] == 51
    assert "<10" in body["legend"]


def test_share_is_withheld_when_it_would_reveal_a_small_count(app_factory):
    app = app_factory(STATS_MIN_COUNT=5)
    on_day(app, DAY)
    recorder = get_recorder(app)
    recorder.backend.add(
        DAY,
        {
            field("x", "event:edited_before_posting"): 12,
            field("x", "event:post_cancelled"): 6,
            field("x", "event:posted_anyway"): 2,
        },
    )
    outcomes = stats(
        app.test_client(), keys_for(app)["stats"], **{"from": DAY.isoformat(), "to": DAY.isoformat()}
    )["periods"][0]["outcomes"]
    assert outcomes["posted_anyway"] == "<5"
    assert outcomes["revised_or_cancelled_share"] is None
    assert outcomes["total"] == 20
    assert "hidden" in (outcomes["edited_before_posting"], outcomes["post_cancelled"])


# --- Access, formats, parameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("wrong", 401), ("revoked", 401), ("check", 403), ("malformed", 401), ("stats", 200)],
)
def test_stats_need_a_key_with_the_stats_scope(app_factory, who, status):
    app = app_factory()
    auth = keys_for(app)
    with app.app_context():
        revoked = get_keys().create("gone", ("stats",))
        get_keys().revoke("gone")
    headers = {
        None: {},
        "wrong": {"Authorization": "Bearer ppc_" + "x" * 32},
        "revoked": {"Authorization": f"Bearer {revoked}"},
        "check": {"Authorization": auth["check"]},
        "malformed": {"Authorization": "Basic b2ZmaWNlOnB3"},
        "stats": {"Authorization": auth["stats"]},
    }[who]
    response = app.test_client().get("/v1/stats", headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    if status != 200:
        body = response.get_json()
        assert body["code"] == status and body["message"]


@pytest.mark.parametrize(
    ("params", "headers", "csv_expected"),
    [
        ({"format": "csv"}, {}, True),
        ({}, {"Accept": "text/csv"}, True),
        ({}, {"Accept": "text/csv;q=0.5, application/json"}, False),
        ({"format": "json"}, {"Accept": "text/csv"}, False),
        ({}, {"Accept": "*/*"}, False),
        ({}, {}, False),
    ],
)
def test_csv_with_format_or_accept(make_app, params, headers, csv_expected):
    app = make_app()
    on_day(app, RECENT)
    check(app.test_client(), BRANDING, "facebook")
    auth = keys_for(app)["stats"]
    query = {"from": RECENT.isoformat(), "to": RECENT.isoformat(), **params}
    response = app.test_client().get(
        "/v1/stats", query_string=query, headers={"Authorization": auth, **headers}
    )
    assert response.status_code == 200
    if not csv_expected:
        assert response.mimetype == "application/json"
        return
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0].keys() >= {"period", "platform", "measure", "category", "value"}
    lookup = {(r["platform"], r["measure"], r["category"], r["event"]): r["value"] for r in rows}
    assert lookup[("all", "checks", "", "")] == "1"
    assert lookup[("facebook", "warned_posts", "", "")] == "1"
    assert lookup[("all", "warned_posts_by_category", "university_branding", "")] == "1"
    assert lookup[("x", "checks", "", "")] == "0"


def test_csv_shows_suppressed_cells_as_labels(app_factory):
    app = app_factory()
    on_day(app, DAY)
    get_recorder(app).backend.add(DAY, {field("x", "checks"): 3, field("reddit", "checks"): 40})
    response = app.test_client().get(
        "/v1/stats",
        query_string={"from": DAY.isoformat(), "to": DAY.isoformat(), "format": "csv"},
        headers={"Authorization": keys_for(app)["stats"]},
    )
    rows = {
        (r["platform"], r["measure"]): r["value"]
        for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    }
    assert (
        rows[("x", "checks")] == "<5"
        and rows[("reddit", "checks")] == "hidden"
        and rows[("all", "checks")] == "43"
    )


@pytest.mark.parametrize(
    ("params", "first", "last", "count"),
    [
        ({"from": "2025-03-12", "to": "2025-03-12"}, "2025-03-12", "2025-03-12", 1),
        ({"from": "2025-03-12", "to": "2025-03-18", "group_by": "week"}, "2025-03-10", "2025-03-23", 2),
        ({"from": "2025-02-27", "to": "2025-03-02", "group_by": "month"}, "2025-02-01", "2025-03-31", 2),
        ({"from": "2024-12-30", "to": "2025-01-05", "group_by": "week"}, "2024-12-30", "2025-01-05", 1),
        ({"to": "2025-03-12"}, "2025-02-11", "2025-03-12", 30),
        ({}, "2025-02-11", "2025-03-12", 30),
    ],
)
def test_date_ranges_cover_whole_periods(app_factory, params, first, last, count):
    app = app_factory()
    on_day(app, DAY)
    body = stats(app.test_client(), keys_for(app)["stats"], **params)
    assert (body["from"], body["to"], len(body["periods"])) == (first, last, count)


def test_data_outside_the_range_is_left_out(app_factory):
    app = app_factory(STATS_MIN_COUNT=1)
    on_day(app, DAY)
    recorder = get_recorder(app)
    recorder.backend.add(DAY - timedelta(days=1), {field("x", "checks"): 7})
    recorder.backend.add(DAY, {field("x", "checks"): 2})
    body = stats(
        app.test_client(), keys_for(app)["stats"], **{"from": DAY.isoformat(), "to": DAY.isoformat()}
    )
    assert body["summary"]["checks"] == 2


@pytest.mark.parametrize(
    ("params", "field_name"),
    [
        ({"from": "2025-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2025-03-12", "to": "2025-03-01"}, "from"),
        ({"from": "1999-12-31", "to": "2000-01-05"}, "from"),
        ({"from": "2024-01-01", "to": "2025-03-12"}, "from"),  # over 400 days
        ({"group_by": "year"}, "group_by"),
        ({"platform": "myspace"}, "platform"),
        ({"format": "xml"}, "format"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_get_400_with_the_json_error_body(app_factory, params, field_name):
    app = app_factory()
    on_day(app, DAY)
    response = app.test_client().get(
        "/v1/stats", query_string=params, headers={"Authorization": keys_for(app)["stats"]}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 400 and body["status"] == "Bad Request"
    assert body["message"] == "The request did not validate; see errors."
    assert field_name in body["errors"]["query"]


def test_a_long_range_works_when_grouped_by_month(app_factory):
    app = app_factory()
    on_day(app, DAY)
    body = stats(
        app.test_client(),
        keys_for(app)["stats"],
        **{"from": "2024-01-01", "to": "2025-03-12", "group_by": "month"},
    )
    assert len(body["periods"]) == 15


# --- Events ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "status", "field_name"),
    [
        ({"json": {"event": "shared", "categories": ["harassment"]}}, 422, "event"),
        ({"json": {"event": "posted_anyway", "categories": []}}, 422, "categories"),
        ({"json": {"event": "posted_anyway", "categories": ["gossip"]}}, 422, "categories"),
        ({"json": {"event": "posted_anyway"}}, 422, "categories"),
        (
            {"json": {"event": "posted_anyway", "categories": ["harassment"], "platform": "myspace"}},
            422,
            "platform",
        ),
        ({"json": {"event": "posted_anyway", "categories": ["harassment"], "text": "the post"}}, 422, "text"),
        ({"json": {"event": "posted_anyway", "categories": ["harassment"], "user_id": "u1"}}, 422, "user_id"),
        ({"data": "event=posted_anyway", "content_type": "application/x-www-form-urlencoded"}, 415, None),
        ({"data": "{nope", "content_type": "application/json"}, 400, None),
    ],
)
def test_bad_events_are_refused_and_not_counted(make_app, kwargs, status, field_name):
    app = make_app()
    on_day(app, RECENT)
    client = app.test_client()
    response = client.post("/v1/events", **kwargs)
    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == status
    if field_name:
        assert field_name in body["errors"]["json"]
    assert get_recorder(app).load(RECENT, RECENT) == {}


@pytest.mark.parametrize(
    "event", ["warning_shown", "fix_applied", "edited_before_posting", "posted_anyway", "post_cancelled"]
)
def test_every_event_is_counted_once_per_category(make_app, event):
    app = make_app()
    on_day(app, RECENT)
    client = app.test_client()
    payload = {
        "event": event,
        "categories": ["harassment", "harassment", "third_party"],
        "platform": "reddit",
    }
    assert client.post("/v1/events", json=payload).status_code == 204
    stored = get_recorder(app).load(RECENT, RECENT)[RECENT]
    assert stored == {
        field("reddit", f"event:{event}"): 1,
        field("reddit", f"event:{event}:harassment"): 1,
        field("reddit", f"event:{event}:third_party"): 1,
    }


def test_events_have_their_own_rate_limit(app_factory):
    app = app_factory(EVENT_RATE_LIMIT="2/minute")
    client = app.test_client()
    payload = {"event": "warning_shown", "categories": ["harassment"]}
    assert [client.post("/v1/events", json=payload).status_code for _ in range(3)] == [204, 204, 429]
    assert client.post("/v1/check", json={"text": HARMLESS}).status_code == 200  # checks keep their budget


# --- Store failures --------------------------------------------------------------------------------


@pytest.mark.redis
def test_checks_answer_while_redis_is_down_and_nothing_stored_is_lost(app_factory, own_redis, caplog):
    app = app_factory(REDIS_URL=own_redis.url, REDIS_TIMEOUT=0.3, RATELIMIT_ENABLED=False, STATS_MIN_COUNT=1)
    on_day(app, RECENT)
    client = app.test_client()
    auth = keys_for(app)
    for _ in range(3):
        check(client, BRANDING, "x")
    own_redis.client().save()  # a Redis that persists, as production's does
    own_redis.kill()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="api.stats_store"):
        for _ in range(4):
            assert check(client, BRANDING, "x") == {("university_branding", "logo", "medium")}
        response = client.post("/v1/events", json={"event": "posted_anyway", "categories": ["harassment"]})
        assert response.status_code == 204
    failures = [r for r in caplog.records if r.name == "api.stats_store"]
    assert len(failures) == 1, [r.getMessage() for r in failures]  # once per outage, not per request
    assert "counted as lost" in failures[0].getMessage()
    assert get_recorder(app).lost == 5

    own_redis.start()  # loads what was saved
    time.sleep(2.1)  # the store waits a moment before asking a failed Redis again
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="api.stats_store"):
        check(client, BRANDING, "x")
    assert [r.getMessage() for r in caplog.records if r.name == "api.stats_store"] == [
        "Statistics store (redis) answers again; 5 records were lost"
    ]
    row = stats(client, auth["stats"], **{"from": RECENT.isoformat(), "to": RECENT.isoformat()})["periods"][0]
    assert row["checks"] == 4  # 3 before the outage, 1 after: none of them lost
    assert row["unrecorded"] == 5


def test_a_broken_sqlite_file_loses_records_but_not_checks(app_factory, tmp_path, caplog):
    app = app_factory(RATELIMIT_ENABLED=False)
    # Keys first (they share the file), then make the stats table impossible to write.
    keys_for(app)
    with sqlite3.connect(tmp_path / "prepost.sqlite3") as db:
        db.execute("CREATE TABLE stats_daily (junk TEXT)")
    with caplog.at_level(logging.WARNING, logger="api.stats_store"):
        for _ in range(3):
            assert app.test_client().post("/v1/check", json={"text": BRANDING}).status_code == 200
    assert get_recorder(app).lost == 3
    assert len([r for r in caplog.records if r.name == "api.stats_store"]) == 1


def test_stats_answer_503_when_the_store_is_unreachable(app_factory, tmp_path):
    app = app_factory()
    auth = keys_for(app)["stats"]
    with sqlite3.connect(tmp_path / "prepost.sqlite3") as db:
        db.execute("CREATE TABLE stats_daily (junk TEXT)")
    response = app.test_client().get("/v1/stats", headers={"Authorization": auth})
    assert response.status_code == 503
    assert response.get_json()["code"] == 503
    assert "Retry-After" in response.headers


def test_stats_responses_keep_to_the_openapi_document(app_factory):
    """Generated queries with a stats key: every answer, JSON, CSV or error, is as documented."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    app = app_factory(KEY_RATE_LIMIT="100000/minute")
    recorder = get_recorder(app)
    today = recorder.today()
    recorder.backend.add(
        today, {field("x", "checks"): 3, field("reddit", "checks"): 40, field("x", "warned_posts"): 2}
    )
    auth = keys_for(app)["stats"]
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    [operation] = [op.ok() for op in schema.get_all_operations() if op.ok().path == "/v1/stats"]

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def conforms(case: schemathesis.Case) -> None:
        # A range can be schema-valid and still too long or reversed (a documented 400): the
        # document cannot express rules across two parameters.
        excluded = [schemathesis.checks.positive_data_acceptance]
        case.call_and_validate(headers={"Authorization": auth}, excluded_checks=excluded)

    conforms()
    body = stats(app.test_client(), auth)  # and the default query shows the suppressed cells
    assert body["periods"][-1]["platforms"]["x"]["checks"] == "<5"


def test_a_process_reuses_its_release_for_stats_cache_seconds(app_factory):
    app = app_factory(STATS_CACHE_SECONDS=3600, STATS_MIN_COUNT=1)
    on_day(app, DAY)
    client, auth = app.test_client(), keys_for(app)["stats"]
    query = {"from": DAY.isoformat(), "to": DAY.isoformat()}
    get_recorder(app).backend.add(DAY, {field("x", "checks"): 2})
    assert stats(client, auth, **query)["summary"]["checks"] == 2
    get_recorder(app).backend.add(DAY, {field("x", "checks"): 5})
    assert stats(client, auth, **query)["summary"]["checks"] == 2  # cached
    on_day(app, DAY + timedelta(days=1))  # a new day starts a new release
    assert stats(client, auth, **query)["summary"]["checks"] == 7

"""The moving window that reads its state for the headers in the same Redis call as the hit."""

from __future__ import annotations

import time

import pytest
import redis
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import STRATEGIES, MovingWindowRateLimiter

from api.extensions import limiter
from api.keys import get_keys
from api.window import OneTripMovingWindow
from tests.api.conftest import bearer

pytestmark = pytest.mark.redis


def test_moving_window_means_the_one_trip_strategy(app_factory, redis_url):
    app_factory(REDIS_URL=redis_url)
    assert STRATEGIES["moving-window"] is OneTripMovingWindow
    assert isinstance(limiter.limiter, OneTripMovingWindow)


@pytest.mark.parametrize(
    ("limit", "costs"), [("5/minute", [1, 1, 2, 1, 1, 3, 1]), ("3/second", [1, 4, 1, 1, 1, 1])]
)
def test_it_decides_and_counts_as_the_library_moving_window_does(app_factory, redis_url, limit, costs):
    """Same refusals and the same window state as limits' own strategy, hit for hit."""
    app = app_factory(REDIS_URL=redis_url)
    ours = OneTripMovingWindow(storage_from_string(redis_url))
    theirs = MovingWindowRateLimiter(storage_from_string(redis_url))
    item = parse(limit)
    with app.test_request_context():
        for n, cost in enumerate(costs):
            hit = ours.hit(item, "ours", "test", cost=cost)
            assert hit == theirs.hit(item, "theirs", "test", cost=cost), n
            mine = ours.get_window_stats(item, "ours", "test")
            library = theirs.get_window_stats(item, "theirs", "test")
            assert mine.remaining == library.remaining, n
            assert mine.reset_time == pytest.approx(library.reset_time, abs=0.5), n
    # Outside a request, or for another key, the state comes from Redis as before.
    library = theirs.get_window_stats(item, "theirs", "test")
    assert ours.get_window_stats(item, "ours", "test").remaining == library.remaining


def test_a_check_with_limits_on_makes_one_lua_call(app_factory, redis_url):
    """The hit and the headers' window state come from one script: one EVALSHA, not two."""
    app = app_factory(REDIS_URL=redis_url, KEY_RATE_LIMIT="1000/minute")
    secret = get_keys(app).create("trips", ("check",))
    client = app.test_client()
    client.post("/v1/check", json={"text": "warm up"}, headers=bearer(secret))  # scripts loaded
    server = redis.Redis.from_url(redis_url)
    before = server.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    responses = [client.post("/v1/check", json={"text": f"Hi {n}"}, headers=bearer(secret)) for n in range(3)]
    after = server.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    assert [r.headers["X-RateLimit-Remaining"] for r in responses] == ["998", "997", "996"]
    assert after - before == 3


def test_memory_storage_keeps_the_library_behaviour():
    window = OneTripMovingWindow(MemoryStorage())
    item = parse("2/minute")
    assert [window.hit(item, "k") for _ in range(3)] == [True, True, False]
    assert window.get_window_stats(item, "k").remaining == 0
    assert window.get_window_stats(item, "k").reset_time > time.time()

"""The moving-window rate limit, with the window's state read in the same Redis call as the hit.

flask-limiter counts a request with the strategy's ``hit`` and then, for the ``X-RateLimit-*``
headers, reads the window's state with ``get_window_stats``: two Redis round trips, each a Lua
script over the same key. Under load a round trip costs a worker about 0.3 ms of CPU
(bench/README.md, "Where the time goes"), and these headers were the dearest part of a check
with limits on. :class:`OneTripMovingWindow` runs both scripts' steps in one script, keeps the
state it returns in the request's ``flask.g``, and hands it to the ``get_window_stats`` of the
same request and key; any other call goes to Redis as before. The limit itself is decided
exactly as by the ``limits`` library's moving window; the headers describe the window as it
was at the hit, including that hit.
"""

from __future__ import annotations

import time
from typing import Any

import flask
from limits import RateLimitItem
from limits.storage import RedisStorage
from limits.strategies import STRATEGIES, MovingWindowRateLimiter
from limits.util import WindowStats

#: ``acquire_moving_window.lua`` then ``moving_window.lua`` of the ``limits`` library, in one
#: script: the same reads and writes, then the window's oldest entry and count.
ACQUIRE_AND_READ = """
local timestamp = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local expiry = tonumber(ARGV[3])
local amount = tonumber(ARGV[4])

local acquired = 0
if amount <= limit then
    local entry = redis.call('lindex', KEYS[1], limit - amount)
    if not (entry and tonumber(entry) >= timestamp - expiry) then
        local entries = {}
        for i = 1, amount do
            entries[i] = timestamp
        end
        for i = 1, #entries, 5000 do
            redis.call('lpush', KEYS[1], unpack(entries, i, math.min(i + 4999, #entries)))
        end
        redis.call('ltrim', KEYS[1], 0, limit - 1)
        redis.call('expire', KEYS[1], expiry)
        acquired = 1
    end
end

local target = timestamp - expiry
local low, high, index = 0, limit - 1, nil
while low <= high do
    local mid = math.floor((low + high) / 2)
    local value = tonumber(redis.call('lindex', KEYS[1], mid))
    if value and value >= target then
        index = mid
        low = mid + 1
    else
        high = mid - 1
    end
end
if index then
    return {acquired, tostring(redis.call('lindex', KEYS[1], index)), index + 1}
end
return {acquired}
"""

_STASH = "_ppc_moving_window"


class OneTripMovingWindow(MovingWindowRateLimiter):
    """The moving window; on Redis, ``hit`` also returns the window's state for the headers."""

    def __init__(self, storage: Any) -> None:
        super().__init__(storage)
        self._script = None
        if isinstance(storage, RedisStorage):  # Sentinel and Cluster storages too
            self._script = storage.get_connection().register_script(ACQUIRE_AND_READ)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        """Consume ``cost`` of the limit, as the moving window does; keep the window's state."""
        if self._script is None:
            return super().hit(item, *identifiers, cost=cost)
        key = item.key_for(*identifiers)
        timestamp = time.time()
        expiry = item.get_expiry()
        reply = self._script([self.storage.prefixed_key(key)], [timestamp, item.amount, expiry, cost])
        if len(reply) == 3:
            oldest, count = float(reply[1]), int(reply[2])
        else:
            oldest, count = timestamp, 0
        if flask.has_request_context():
            setattr(flask.g, _STASH, (key, WindowStats(oldest + expiry, item.amount - count)))
        return bool(reply[0])

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        """Return the state this request's hit read, or read it from the storage."""
        if flask.has_request_context():
            stash = flask.g.pop(_STASH, None)
            if stash is not None and stash[0] == item.key_for(*identifiers):
                return stash[1]
        return super().get_window_stats(item, *identifiers)


def install() -> None:
    """Make ``moving-window`` (RATELIMIT_STRATEGY's default) mean :class:`OneTripMovingWindow`."""
    STRATEGIES["moving-window"] = OneTripMovingWindow

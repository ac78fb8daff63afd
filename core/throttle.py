"""Rate limits on Django's cache, and the client address they key on.

One limiter for every "at most N per window" rule that is not a sign-in (django-axes counts
those, `core.signin`): password-reset mails per address and per client, and the customer portal's
magic links. Use it as

    verdict = RateLimit("password-reset-ip", limit=10, window=3600).hit(client_ip(request))
    if not verdict.allowed:
        ...  # refuse; verdict.retry_after says how many seconds until one more would pass

The window slides: the count is this window's hits plus the previous window's, weighted by how
much of the previous window still overlaps the last `window` seconds, so a burst across a window
boundary cannot pass twice the limit. Each hit is one atomic `cache.incr` (Redis INCR; a lock in
LocMemCache), so concurrent requests each see a distinct count and exactly `limit` of them pass
when the previous window is empty. A refused hit is taken back at once: refusals never consume the
allowance, so a caller who keeps retrying is let in as soon as the window has room.

With REDIS_URL set the cache is Redis and the count holds across processes; without it the cache
is per process (development and tests).
"""

import hashlib
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest


@dataclass(frozen=True)
class Verdict:
    """The answer to one hit: whether it passed, and when the next one would (0 when it passed)."""

    allowed: bool
    retry_after: int


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per key in any `window` seconds, counted in `cache` (default: the default cache).

    `name` separates the rules (one name per rule, e.g. "password-reset-address"); the key is hashed,
    so an email address or any text can be one. `clock` (seconds since the epoch) is for tests.
    """

    name: str
    limit: int
    window: int
    cache: BaseCache | None = None
    clock: Callable[[], float] = field(default=time.time)

    def hit(self, key: str) -> Verdict:
        """Count one hit for `key`; refused hits are not kept."""
        cache = self.cache or caches["default"]
        now = self.clock()
        bucket, into = divmod(now, self.window)
        current_key = self._cache_key(key, int(bucket))
        count = _increment(cache, current_key, timeout=2 * self.window + 60)
        previous = cache.get(self._cache_key(key, int(bucket) - 1)) or 0
        overlap = 1 - into / self.window  # the share of the previous window still within reach
        if previous * overlap + count <= self.limit:
            return Verdict(allowed=True, retry_after=0)
        cache.decr(current_key)
        return Verdict(allowed=False, retry_after=self._retry_after(previous, count - 1, into))

    def reset(self, key: str) -> None:
        """Forget every hit for `key` (for instance after the thing it guarded succeeded)."""
        cache = self.cache or caches["default"]
        bucket = int(self.clock() // self.window)
        cache.delete_many([self._cache_key(key, bucket), self._cache_key(key, bucket - 1)])

    def _cache_key(self, key: str, bucket: int) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{self.window}:{bucket}:{digest}"

    def _retry_after(self, previous: int, current: int, into: float) -> int:
        """Seconds until a hit would pass, if nothing else is counted meanwhile."""
        if current + 1 <= self.limit and previous:
            # The previous window's weight fades until this window has room.
            needed = 1 - (self.limit - current - 1) / previous
            return max(1, int(needed * self.window - into) + 1)
        # This window is full: wait for it to end and for its own weight to fade enough.
        fade = max(0.0, 1 - (self.limit - 1) / current) if current else 0.0
        return max(1, int(self.window - into + fade * self.window) + 1)


def _increment(cache: BaseCache, key: str, *, timeout: int) -> int:
    """Atomically add one to `key`, creating it at 0 first if it is missing."""
    cache.add(key, 0, timeout=timeout)  # a no-op when the key exists: never resets a count
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr: start again from this hit
        cache.add(key, 1, timeout=timeout)
        return 1


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, as far as it can be trusted.

    With no proxy in front (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR: X-Forwarded-For is written
    by the client and ignored. With N proxies in front, each appending the address it saw, it is
    the N-th entry from the right of X-Forwarded-For (what the outermost of our proxies saw);
    entries further left are the client's own claims. A request that did not pass through all N
    proxies, or a malformed entry, falls back to REMOTE_ADDR. django-axes uses this too
    (AXES_CLIENT_IP_CALLABLE), so sign-in and the other limits agree on who the client is.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote

"""core.throttle: a sliding-window rate limit on the cache, exact under concurrent hits (locmem and
the real Redis), and the client address it keys on."""

import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from core.throttle import RateLimit, client_ip
from tests.concurrency import race

HOUR = 3600


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self, start: float = 1_000 * HOUR):
        self.now = start

    def __call__(self) -> float:
        return self.now


def fresh_cache():
    return LocMemCache(f"throttle-{uuid.uuid4().hex}", {})


def limiter(clock, cache=None, limit: int = 3) -> RateLimit:
    return RateLimit("test", limit=limit, window=HOUR, cache=cache or fresh_cache(), clock=clock)


def test_the_limit_passes_then_refuses_and_frees_once_the_window_has_slid_by():
    clock = Clock()
    limit = limiter(clock)

    verdicts = [limit.hit("sally@vendor.test") for _ in range(4)]

    assert [verdict.allowed for verdict in verdicts] == [True, True, True, False]
    assert 0 < verdicts[-1].retry_after <= 2 * HOUR
    assert limit.hit("oscar@vendor.test").allowed  # another key has its own count
    clock.now += verdicts[-1].retry_after
    assert limit.hit("sally@vendor.test").allowed


def test_a_burst_across_a_window_boundary_does_not_pass_twice_the_limit():
    clock = Clock(start=1_000 * HOUR + HOUR - 5)  # five seconds before a window ends
    limit = limiter(clock)
    assert all(limit.hit("k").allowed for _ in range(3))

    clock.now += 10  # five seconds into the next window

    assert not limit.hit("k").allowed
    clock.now += HOUR // 2  # half the last window still overlaps: 3 × 0.5 + 1 ≤ 3
    assert limit.hit("k").allowed


def test_refused_hits_do_not_use_up_the_allowance():
    clock = Clock()
    limit = limiter(clock)
    for _ in range(3):
        limit.hit("k")
    refused = [limit.hit("k") for _ in range(50)]

    clock.now += refused[-1].retry_after

    assert limit.hit("k").allowed
    assert refused[0].retry_after == refused[-1].retry_after


def test_reset_forgets_a_keys_hits():
    limit = limiter(Clock())
    for _ in range(3):
        limit.hit("k")

    limit.reset("k")

    assert limit.hit("k").allowed


def _racing_hits(limit: RateLimit, threads: int) -> list:
    return race([lambda: limit.hit("one address").allowed for _ in range(threads)])


def test_concurrent_hits_pass_exactly_the_limit_on_locmem():
    results = _racing_hits(limiter(Clock(), limit=5), threads=24)

    assert results.count(True) == 5 and results.count(False) == 19, results


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL=redis://… (CI does)")
def test_concurrent_hits_pass_exactly_the_limit_on_redis():
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": uuid.uuid4().hex})
    limit = limiter(Clock(), cache=cache, limit=5)

    results = _racing_hits(limit, threads=24)

    assert results.count(True) == 5 and results.count(False) == 19, results
    assert not limit.hit("one address").allowed  # the count held: still full


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_client_ip_trusts_only_remote_addr_without_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "10.0.0.1, 203.0.113.7", "203.0.113.7"),  # the left entry is the client's own claim
        (2, "10.0.0.1, 203.0.113.7, 192.0.2.10", "203.0.113.7"),
        (2, "203.0.113.7", "192.0.2.99"),  # did not pass through both proxies
        (1, "not-an-address", "192.0.2.99"),
        (1, "", "192.0.2.99"),
    ],
)
def test_client_ip_behind_proxies_takes_what_the_outermost_proxy_saw(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    request = _request(REMOTE_ADDR="192.0.2.99", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected

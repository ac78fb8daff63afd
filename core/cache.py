"""The shared cache as an optimisation only: while its store (Redis) cannot be reached, a read is
a miss and a write or a delete does nothing, each logged as a warning.

For values the database holds anyway (a staff user's zone, `workflows.zones`): the caller computes
the value again instead of failing. Settings give the Redis cache short socket timeouts
(CACHE_SOCKET_TIMEOUT), so a hung server costs a request a fraction of a second, not seconds.
Counters that must be shared to mean anything (`core.throttle`) use the cache directly and fail.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache backend raises when its store cannot be reached or does not answer: redis-py's
# errors (refused, timed out, loading), and socket errors for the other backends.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)

_MISSING = object()
T = TypeVar("T")


def cached(key: str, compute: Callable[[], T], *, timeout: int) -> T:
    """The value cached under `key`, else `compute()`, kept for `timeout` seconds.

    With the cache unreachable, `compute()` every time and store nothing (one warning per call).
    """
    try:
        value = cache.get(key, _MISSING)
    except CACHE_ERRORS as error:
        _warn("read", key, error)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as error:
        _warn("write", key, error)
    return value


def cache_forget(key: str) -> None:
    """Delete `key` from the cache; nothing (a warning) while the cache is unreachable: the value
    then lives on until its timeout, which bounds how stale a cached value may be."""
    try:
        cache.delete(key)
    except CACHE_ERRORS as error:
        _warn("delete", key, error)


def _warn(what: str, key: str, error: Exception) -> None:
    logger.warning("Cache unreachable, %s of %s skipped: %s: %s", what, key, type(error).__name__, error)

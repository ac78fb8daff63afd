"""core.cache: the shared cache as an optimisation only. While its Redis is stopped or hung, a read
is a miss and a write or a delete does nothing, within the socket timeout and with a warning;
production's Redis cache is given that timeout."""

import json
import logging
import os
import subprocess
import sys
import time

from django.conf import settings

from core.cache import cache_forget, cached


class Counter:
    """A value to compute, counting how often it was."""

    def __init__(self):
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"computed {self.calls}"


def test_a_value_is_computed_once_then_read_from_the_cache(cache_redis):
    compute = Counter()

    values = [cached("answer", compute, timeout=60) for _ in range(3)]

    assert values == ["computed 1"] * 3 and compute.calls == 1
    cache_forget("answer")
    assert cached("answer", compute, timeout=60) == "computed 2"


def test_a_stopped_cache_is_a_miss_and_forgetting_does_nothing(cache_redis, caplog):
    compute = Counter()
    cached("answer", compute, timeout=60)
    cache_redis.stop()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        values = [cached("answer", compute, timeout=60) for _ in range(2)]
        cache_forget("answer")

    assert values == ["computed 2", "computed 3"]
    # One warning per call: a read that failed is not followed by a write.
    assert [record.getMessage().split(",")[0] for record in caplog.records] == ["Cache unreachable"] * 3
    assert "delete of answer skipped" in caplog.records[-1].getMessage()


def test_a_hung_cache_costs_a_call_its_socket_timeout(cache_redis):
    compute = Counter()
    cached("answer", compute, timeout=60)
    cache_redis.freeze()

    started = time.monotonic()
    value = cached("answer", compute, timeout=60)
    cache_forget("answer")
    took = time.monotonic() - started

    assert value == "computed 2"
    assert took < 2 * settings.CACHE_SOCKET_TIMEOUT + 0.8  # a read and a delete, each timed out once


def test_the_redis_cache_waits_at_most_the_socket_timeout():
    script = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/5", "CACHE_SOCKET_TIMEOUT": "0.25"}
    env["DJANGO_SETTINGS_MODULE"] = "rms.settings_test"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    default = json.loads(out)["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}

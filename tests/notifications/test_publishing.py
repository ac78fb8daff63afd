"""Publishing to a broker that is down or hung: one short attempt, then a pause; the readiness
probe follows the broker itself. Against a real redis-server of the test's own.

The time bounds here are the feature (before it, a stopped broker held each publish for 6 s),
with a wide margin over the 0.3 s timeout: not a performance measurement.
"""

import json
import time

import pytest

from notifications.delivery import DELIVER_TASK
from notifications.publishing import broker_reachable, publish
from tests.notifications.conftest import celery_broker

QUEUE = "notifications"  # where DELIVER_TASK is routed


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.fixture
def broker(private_redis, settings):
    settings.BROKER_PUBLISH_PAUSE = 1.0
    with celery_broker(private_redis.url):
        yield private_redis


def test_a_stopped_broker_costs_one_short_attempt_then_publishing_pauses(broker, settings):
    assert publish(DELIVER_TASK, [[1], [2]]) == 2
    assert sorted(queued_args(broker)) == ["[1]", "[2]"]

    broker.stop()
    published, waited = timed(lambda: publish(DELIVER_TASK, [[3]]))
    assert (published, waited < 1.0) == (0, True)

    broker.start()  # back, empty; but this process does not try again until the pause is over
    assert publish(DELIVER_TASK, [[4]]) == 0
    assert broker.client().llen(QUEUE) == 0

    time.sleep(settings.BROKER_PUBLISH_PAUSE)
    assert publish(DELIVER_TASK, [[5]]) == 1
    assert queued_args(broker) == ["[5]"]


def test_a_hung_broker_is_given_up_on_within_the_timeout(broker):
    assert publish(DELIVER_TASK, [[1]]) == 1

    broker.freeze()  # accepts connections, answers nothing
    published, waited = timed(lambda: publish(DELIVER_TASK, [[2]]))
    assert (published, waited < 1.0) == (0, True)
    problem, waited = timed(broker_reachable)
    assert problem.startswith("broker unreachable") and waited < 1.0

    broker.thaw()
    assert broker_reachable() is None  # the probe sees the broker back, and ends the pause…
    assert publish(DELIVER_TASK, [[3]]) == 1  # …so publishing resumes at once
    assert "[3]" in queued_args(broker)


def queued_args(broker) -> list[str]:
    """The arguments of the messages waiting in the queue, as Celery wrote them in the headers."""
    return [json.loads(raw)["headers"]["argsrepr"] for raw in broker.client().lrange(QUEUE, 0, -1)]


def test_a_failure_on_one_broker_does_not_pause_publishing_to_another(broker, unused_port):
    with celery_broker(f"redis://127.0.0.1:{unused_port}/0"):
        assert publish(DELIVER_TASK, [[1]]) == 0

    assert publish(DELIVER_TASK, [[2]]) == 1

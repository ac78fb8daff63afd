"""Publishing to a broker that is down or hung: one short attempt, then a pause; the readiness
probe follows the broker itself. Against a real redis-server of the test's own.

The time bounds here are the feature (before it, a stopped broker held each publish for 6 s),
with a wide margin over the 0.3 s timeout: not a performance measurement.
"""

import json
import time

import pytest
from celery import current_app

from notifications import publishing
from notifications.delivery import DELIVER_TASK
from notifications.publishing import broker_reachable, publish
from tests.notifications.conftest import celery_broker

QUEUE = "notifications"  # where DELIVER_TASK is routed

pytestmark = pytest.mark.timeout(120)  # a hang (a blocked socket) fails the test instead of the suite


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.fixture
def celery_app_conf():
    """The Celery app's configuration, with any value a test changes put back afterwards."""
    conf = current_app.conf
    saved = dict(conf.changes)
    yield conf
    conf.changes.clear()
    conf.changes.update(saved)


@pytest.fixture
def broker(private_redis, settings):
    settings.BROKER_PUBLISH_PAUSE = 3.0
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


@pytest.mark.parametrize("outage", ["stop", "freeze"])
def test_the_readiness_probe_asks_the_broker_even_when_publishing_has_a_connection(broker, outage):
    assert publish(DELIVER_TASK, [[1]]) == 1  # the pool holds a connection that worked
    assert broker_reachable() is None

    getattr(broker, outage)()
    problem, waited = timed(broker_reachable)

    assert problem.startswith("broker unreachable") and waited < 1.0


def test_a_broker_that_restarted_is_published_to_at_once(broker):
    assert publish(DELIVER_TASK, [[1]]) == 1
    broker.stop()
    broker.start()  # the pooled connection is dead; the broker is not

    assert publish(DELIVER_TASK, [[2]]) == 1  # no failure, so no pause
    assert publish(DELIVER_TASK, [[3]]) == 1
    assert sorted(queued_args(broker)) == ["[2]", "[3]"]


def test_a_busy_moment_with_every_pooled_connection_in_use_is_not_an_outage(broker, celery_app_conf):
    celery_app_conf.broker_pool_limit = 1
    # Another thread of this process holds the one pooled connection (the pool publish uses).
    with publishing._publisher.connection():
        assert publish(DELIVER_TASK, [[1]]) == 1  # on a connection of its own
        assert broker_reachable() is None
    assert publish(DELIVER_TASK, [[2]]) == 1
    assert sorted(queued_args(broker)) == ["[1]", "[2]"]

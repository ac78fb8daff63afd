from contextlib import contextmanager

import pytest
from celery import current_app
from kombu import pools

from tests.notifications.faults import unused_tcp_port


@contextmanager
def celery_broker(url: str):
    """Point this process's Celery app at another broker for a while (connections re-made)."""
    app = current_app
    previous = app.conf.broker_url, app.conf.broker_transport
    # Settings name our Redis transport for a redis:// REDIS_URL; kombu would use it for any URL.
    _switch(app, url, app.conf.broker_transport if url.startswith("redis://") else None)
    try:
        yield app
    finally:
        _switch(app, *previous)


def _switch(app, url: str, transport: str | None) -> None:
    pools.reset()  # close and forget every pooled connection and producer
    app.conf.broker_url = url
    app.conf.broker_transport = transport
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def memory_broker():
    """An in-process broker: what is enqueued can be read back, and nothing leaves the test."""
    with celery_broker("memory://") as app:
        with app.connection_for_write() as connection:
            for queue in ("notifications", "maintenance", "celery"):
                connection.default_channel.queue_purge(queue)
        yield app


def queued(app, queue: str = "notifications") -> list:
    """The delivery messages waiting in `queue` of the in-memory broker: their task arguments."""
    messages = []
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        while (message := channel.basic_get(queue)) is not None:
            args, _kwargs, _embed = message.decode()
            messages.append(args[0])
    return messages


@pytest.fixture
def unused_port() -> int:
    """A local TCP port nothing listens on: a broker that is down."""
    return unused_tcp_port()

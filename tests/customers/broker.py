"""An in-memory broker for the sign-in tests: what a request published, and running it as the
worker would (the tasks are thin; customers.mail does the work)."""

import pytest
from celery import current_app

import customers.tasks  # noqa: F401 - registers the tasks, as the worker's autodiscovery does
from tests.notifications.conftest import celery_broker


@pytest.fixture
def broker():
    """This process's Celery app on an in-memory broker, its queues empty."""
    with celery_broker("memory://") as app:
        with app.connection_for_write() as connection:
            for queue in ("notifications", "maintenance", "celery"):
                connection.default_channel.queue_purge(queue)
        yield app


def published(app, queue: str = "notifications") -> list[tuple[str, list]]:
    """The messages waiting in `queue` (taken off it): (task name, arguments)."""
    messages = []
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        while (message := channel.basic_get(queue)) is not None:
            args, _kwargs, _embed = message.decode()
            messages.append((message.headers["task"], args))
    return messages


def work_off(app) -> list:
    """Run every message waiting on the notifications queue, in order; their results."""
    return [current_app.tasks[name](*args) for name, args in published(app)]

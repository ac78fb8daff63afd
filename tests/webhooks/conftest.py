import pytest

from tests.webhooks.receiver import Receiver
from webhooks import queue
from webhooks.models import Subscription
from webhooks.statuses import EventType


@pytest.fixture
def receiver():
    """A receiver on 127.0.0.1 (allowed by WEBHOOKS_ALLOW_PRIVATE_URLS in the tests using it)."""
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def published(monkeypatch):
    """The delivery ids published to the broker, instead of a broker."""
    sent: list[int] = []

    def publish(task_name: str, argument_lists: list[list]) -> int:
        assert task_name == queue.DELIVER_TASK
        sent.extend(args[0] for args in argument_lists)
        return len(argument_lists)

    monkeypatch.setattr(queue, "_publisher", publish)
    return sent


@pytest.fixture
def subscribe(db, admin_user):
    """`subscribe(url, events=...)`: an active subscription, every event by default."""

    def make(url: str = "https://hooks.example.com/rms", events=None, **fields) -> Subscription:
        return Subscription.objects.create(
            name=fields.pop("name", "CRM"),
            url=url,
            events=list(events or EventType.values),
            created_by=admin_user,
            **fields,
        )

    return make

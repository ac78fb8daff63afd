"""A real Celery worker against Redis delivers a webhook caused through the web layer: published
after commit, signed, received by a local HTTP receiver and verified with standardwebhooks.

Needs REDIS_URL and PostgreSQL (the worker process must see the test database)."""

import os

import pytest
import redis
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from tests.builders.webhooks import make_subscription
from tests.notifications.conftest import celery_broker
from tests.notifications.worker import WorkerProcess, dedicated_redis_url, wait_for
from webhooks.models import Delivery
from webhooks.statuses import DeliveryStatus, EventType

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.timeout(240),
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.xdist_group("worker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL: a real Celery worker against Redis"),
]


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    """A worker on the worker tests' own Redis database, allowed to call 127.0.0.1."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    url = dedicated_redis_url(REDIS_URL)
    redis.Redis.from_url(url).flushdb()
    mail = tmp_path / "mail"
    mail.mkdir()
    with celery_broker(url):
        process = WorkerProcess("webhooks", tmp_path, url, mail, WEBHOOKS_ALLOW_PRIVATE_URLS="1")
        process.start()
        try:
            yield process
        finally:
            process.stop()


def test_a_status_change_in_the_manage_portal_is_delivered_by_the_worker(
    worker, receiver, client, manager, customer_contact
):
    subscription = make_subscription(manager, url=receiver.url(), events=[EventType.CONTACT_STATUS_CHANGED])
    client.force_login(manager)

    answer = client.post(
        reverse("manage:contact-status", args=[customer_contact.pk]),
        {"to_status": "resting", "reason": "A quiet quarter"},
    )
    assert answer.status_code == 302, answer.content[:300]

    wait_for(lambda: receiver.received, timeout=60, what=f"the webhook (worker log: {worker.log_path})")
    (got,) = receiver.received
    data = Webhook(subscription.secret).verify(got.body, got.headers)
    assert data["type"] == "contact.status_changed"
    assert data["data"]["contact_id"] == customer_contact.pk
    assert data["data"]["to_status"] == "resting"
    wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(),
        timeout=20,
        what="the delivery marked delivered",
    )

"""Delivery: signed the Standard Webhooks way (verified with the `standardwebhooks` package on
what a real HTTP receiver got), retried with backoff and logged, then dead; sent again on
demand; swept when its message was lost; never sent twice at once."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.concurrency import race
from webhooks.delivery import BACKOFF, MAX_ATTEMPTS, deliveries_sweep, delivery_send
from webhooks.models import Delivery
from webhooks.outbox import webhook_emit
from webhooks.services import deliveries_resend
from webhooks.statuses import DeliveryStatus, EventType

# Deliveries are sent outside transactions: these tests commit (and flush afterwards).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAYLOAD = {"contact_id": 12, "account_id": 3, "limit_code": "contact_cap"}


@pytest.fixture
def hooked(subscribe, receiver, published, settings):
    """A subscription to the local receiver and one message on its way to it."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    subscription = subscribe(url=receiver.url())
    message = webhook_emit(EventType.LIMIT_REACHED, PAYLOAD)
    return subscription, message, Delivery.objects.get()


def test_the_receiver_verifies_the_signature_with_standardwebhooks(hooked, receiver):
    subscription, message, delivery = hooked

    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DELIVERED

    (got,) = receiver.received
    data = Webhook(subscription.secret).verify(got.body, got.headers)
    assert data["type"] == "limit.reached"
    assert data["data"] == PAYLOAD
    assert got.headers["webhook-id"] == message.webhook_id
    assert {k.lower(): v for k, v in got.headers.items()}["content-type"] == "application/json"
    with pytest.raises(WebhookVerificationError):  # a body changed on the way fails
        Webhook(subscription.secret).verify(got.body.replace(b"12", b"13"), got.headers)
    with pytest.raises(WebhookVerificationError):  # another secret fails
        Webhook("whsec_" + "A" * 43 + "=").verify(got.body, got.headers)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert delivery.delivered_at is not None
    attempt = delivery.attempts_log.get()
    assert (attempt.status_code, attempt.error) == (204, "")


def test_a_failing_endpoint_is_retried_with_backoff_then_dead(hooked, receiver):
    *_, delivery = hooked
    receiver.default = 500
    now = timezone.now()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if attempt > 1:  # not before its time
            assert delivery_send(delivery_id=delivery.pk, now=now - timedelta(seconds=1)) == "not_due"
        status = delivery_send(delivery_id=delivery.pk, now=now)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert status == DeliveryStatus.RETRYING
            waits.append((delivery.next_attempt_at - now).total_seconds())
            now = delivery.next_attempt_at
        else:
            assert status == DeliveryStatus.DEAD
    assert waits == list(BACKOFF)  # 30 s, 2 min, 10 min, 1 h, 6 h
    assert len(receiver.received) == MAX_ATTEMPTS
    log = list(delivery.attempts_log.order_by("at"))
    assert [a.status_code for a in log] == [500] * MAX_ATTEMPTS
    assert all(a.error.startswith("HTTP 500") for a in log)
    assert delivery_send(delivery_id=delivery.pk, now=now + timedelta(days=1)) == "not_due"


def test_a_retry_that_succeeds_is_delivered(hooked, receiver):
    *_, delivery = hooked
    receiver.answers = [503]
    now = timezone.now()
    assert delivery_send(delivery_id=delivery.pk, now=now) == DeliveryStatus.RETRYING
    assert delivery_send(delivery_id=delivery.pk, now=now + timedelta(seconds=BACKOFF[0])) == "delivered"
    assert [r.headers["webhook-id"] for r in receiver.received][0] == receiver.received[1].headers[
        "webhook-id"
    ]


def test_a_redirect_is_not_followed(hooked, receiver):
    *_, delivery = hooked
    receiver.answers = [302]
    receiver.location = "http://169.254.169.254/latest/meta-data/"
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.RETRYING
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302


def test_a_receiver_that_is_down_is_an_attempt_without_a_code(hooked, receiver):
    *_, delivery = hooked
    receiver.stop()
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.RETRYING
    attempt = delivery.attempts_log.get()
    assert attempt.status_code is None
    assert "Connection" in attempt.error or "refused" in attempt.error.lower()


def test_send_again_delivers_a_dead_delivery_and_keeps_its_history(hooked, receiver, published):
    *_, delivery = hooked
    receiver.default = 500
    Delivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DEAD
    published.clear()
    receiver.default = 200

    assert deliveries_resend(delivery_ids=[delivery.pk]) == 1

    assert published == [delivery.pk]
    assert delivery_send(delivery_id=delivery.pk) == DeliveryStatus.DELIVERED
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert delivery.attempts_log.count() == 2
    assert len(receiver.received) == 2


def test_the_sweep_publishes_due_deliveries_whose_message_was_lost(hooked, published, settings):
    *_, delivery = hooked
    published.clear()
    now = timezone.now()
    assert deliveries_sweep(now=now) == 0  # queued a moment ago: its message may still come
    later = now + timedelta(seconds=settings.WEBHOOKS_SWEEP_GRACE + 1)
    assert deliveries_sweep(now=later) == 1
    assert published == [delivery.pk]
    assert deliveries_sweep(now=later + timedelta(seconds=1)) == 0  # just queued again


def test_a_retry_is_published_by_the_sweep_when_due(hooked, receiver, published):
    *_, delivery = hooked
    receiver.answers = [500]
    now = timezone.now()
    delivery_send(delivery_id=delivery.pk, now=now)
    published.clear()
    assert deliveries_sweep(now=now + timedelta(seconds=BACKOFF[0] - 1)) == 0
    assert deliveries_sweep(now=now + timedelta(seconds=BACKOFF[0])) == 1
    assert published == [delivery.pk]


def test_a_delivery_being_sent_is_not_sent_again_meanwhile(hooked, receiver, published, settings):
    *_, delivery = hooked
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(locked_until=now + timedelta(minutes=2))
    assert delivery_send(delivery_id=delivery.pk, now=now) == "not_due"
    assert deliveries_sweep(now=now + timedelta(seconds=settings.WEBHOOKS_SWEEP_GRACE + 1)) == 0
    assert receiver.received == []
    # A worker that died mid-send: its lease runs out, and the delivery goes out again.
    assert delivery_send(delivery_id=delivery.pk, now=now + timedelta(minutes=3)) == "delivered"


def test_a_body_is_the_same_bytes_at_every_attempt(hooked, receiver):
    *_, delivery = hooked
    receiver.answers = [500]
    now = timezone.now()
    delivery_send(delivery_id=delivery.pk, now=now)
    delivery_send(delivery_id=delivery.pk, now=now + timedelta(seconds=BACKOFF[0]))
    first, second = receiver.received
    assert first.body == second.body
    assert json.loads(first.body)["data"] == PAYLOAD


@pytest.mark.postgres
def test_two_workers_at_once_send_a_delivery_once(hooked, receiver):
    """Both claim at the same instant: the row lock (skip locked) and the lease let one send."""
    *_, delivery = hooked
    receiver.default = 200
    results = race([lambda: delivery_send(delivery_id=delivery.pk)] * 4)
    assert sorted(results) == ["delivered", "not_due", "not_due", "not_due"]
    assert len(receiver.received) == 1


def test_an_attempt_cut_short_by_the_time_limit_is_logged_and_retried_with_backoff(hooked, monkeypatch):
    """A receiver answering byte by byte outlasts the task's soft time limit: the attempt is logged
    and counted like any failure, so retries wait their backoff and stop."""
    from celery.exceptions import SoftTimeLimitExceeded

    from webhooks import delivery as module

    *_, delivery = hooked

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(module, "post", slow)
    now = timezone.now()
    with pytest.raises(SoftTimeLimitExceeded):
        delivery_send(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.locked_until) == (DeliveryStatus.RETRYING, 1, None)
    assert delivery.next_attempt_at == now + timedelta(seconds=BACKOFF[0])
    assert "SoftTimeLimitExceeded" in delivery.attempts_log.get().error


def test_a_delivery_whose_workers_all_died_mid_send_is_dead_not_sent_for_ever(hooked, receiver):
    *_, delivery = hooked
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.RETRYING, attempts=MAX_ATTEMPTS, locked_until=now - timedelta(seconds=1)
    )
    assert delivery_send(delivery_id=delivery.pk, now=now) == "not_due"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DEAD and receiver.received == []


def test_a_url_with_non_ascii_characters_is_sent_percent_encoded(subscribe, receiver, published, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    subscribe(url=receiver.url("/hooks/café rms?team=zürich&x=1"))
    webhook_emit(EventType.LIMIT_REACHED, PAYLOAD)
    assert delivery_send(delivery_id=Delivery.objects.get().pk) == DeliveryStatus.DELIVERED
    assert [r.path for r in receiver.received] == ["/hooks/caf%C3%A9%20rms?team=z%C3%BCrich&x=1"]

"""The outbox: written in the event's transaction, one delivery per listening subscription,
published after commit; a rolled-back event leaves nothing and sends nothing."""

import pytest
from django.db import transaction

from webhooks.models import Delivery, Message
from webhooks.outbox import webhook_emit, webhook_emit_many
from webhooks.statuses import DeliveryStatus, EventType

pytestmark = pytest.mark.django_db

CHANGED = EventType.REQUEST_STATUS_CHANGED


def test_one_message_and_a_delivery_per_listening_subscription(
    subscribe, published, django_capture_on_commit_callbacks
):
    crm = subscribe(events=[CHANGED])
    data = subscribe(name="Warehouse")
    subscribe(name="Other events", events=[EventType.LIMIT_REACHED])
    subscribe(name="Paused", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        message = webhook_emit(CHANGED, {"request_id": 7, "to_status": "approved"})

    assert message.webhook_id.startswith("msg_")
    assert message.payload == {"request_id": 7, "to_status": "approved"}
    deliveries = Delivery.objects.filter(message=message)
    assert {d.subscription_id for d in deliveries} == {crm.pk, data.pk}
    assert {d.status for d in deliveries} == {DeliveryStatus.PENDING}
    assert sorted(published) == sorted(d.pk for d in deliveries)


def test_nothing_is_written_when_nobody_listens(subscribe, published, django_assert_num_queries):
    subscribe(events=[EventType.LIMIT_REACHED])
    with django_assert_num_queries(1):  # the active subscriptions
        assert webhook_emit(CHANGED, {"request_id": 7}) is None
    assert not Message.objects.exists()
    assert published == []


def test_a_rolled_back_event_leaves_no_message_and_sends_nothing(
    subscribe, published, django_capture_on_commit_callbacks
):
    subscribe()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                webhook_emit(CHANGED, {"request_id": 7})
                raise RuntimeError("the event's transaction fails after the emit")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Message.objects.exists()
    assert not Delivery.objects.exists()
    assert published == []


def test_nothing_is_published_before_the_transaction_commits(
    subscribe, published, django_capture_on_commit_callbacks
):
    subscribe()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        webhook_emit(CHANGED, {"request_id": 7})
    assert published == []
    callbacks[0]()
    assert published == list(Delivery.objects.values_list("pk", flat=True))


def test_many_events_are_two_inserts_whatever_their_number(subscribe, published, django_assert_num_queries):
    subscribe()
    subscribe(name="Second")
    with django_assert_num_queries(3):  # subscriptions, messages, deliveries
        messages = webhook_emit_many(CHANGED, [{"request_id": n} for n in range(50)])
    assert len(messages) == 50
    assert Delivery.objects.count() == 100


@pytest.mark.parametrize("key", ["email", "phone", "first_name", "last_name", "name"])
def test_a_payload_with_personal_data_is_refused(subscribe, key):
    subscribe()
    with pytest.raises(ValueError, match="ids and codes"):
        webhook_emit(CHANGED, {"contact_id": 3, key: "Grace"})


def test_an_unknown_event_type_is_refused(subscribe):
    with pytest.raises(ValueError, match="Unknown webhook event type"):
        webhook_emit("request.deleted", {"request_id": 1})

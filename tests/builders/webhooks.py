"""Webhook rows for tests: a subscription, and a message delivered once."""

from django.utils import timezone

from webhooks.models import Delivery, DeliveryAttempt, Subscription
from webhooks.outbox import webhook_emit
from webhooks.statuses import DeliveryStatus, EventType


def make_subscription(
    created_by=None, *, url: str = "https://hooks.example.com/rms", **fields
) -> Subscription:
    """Saved without the address check (no name is resolved in tests)."""
    return Subscription.objects.create(
        name=fields.pop("name", "CRM"),
        url=url,
        events=list(fields.pop("events", EventType.values)),
        created_by=created_by,
        **fields,
    )


def make_delivered(subscription: Subscription) -> Delivery:
    """A `limit.reached` message to `subscription`, delivered at the first attempt."""
    webhook_emit(EventType.LIMIT_REACHED, {"contact_id": 1, "limit_code": "contact_cap"})
    delivery = Delivery.objects.filter(subscription=subscription).latest("pk")
    now = timezone.now()
    DeliveryAttempt.objects.create(delivery=delivery, at=now, status_code=204, duration_ms=12)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED, attempts=1, delivered_at=now, last_status_code=204
    )
    return delivery

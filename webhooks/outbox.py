"""Writing webhook messages: in the transaction of the event, delivered after it commits.

`webhook_emit` (one event) and `webhook_emit_many` (a job's many) write one Message per event and
one Delivery per active subscription listening to its type, in the caller's transaction: a
rolled-back event leaves no row and sends nothing. After commit, one Celery message per delivery
is published (webhooks.queue: short timeouts, so a broker that is down never holds up the
request; the sweep sends what was not published). With no subscription
listening, one small query and nothing written.

Payloads carry ids and codes only (never a contact's name, email or phone): receivers are
outside systems. `assert_no_personal_data` keeps callers to that.
"""

import json
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from webhooks.models import Delivery, Message, Subscription
from webhooks.queue import enqueue
from webhooks.statuses import EventType

# Keys a payload never carries: the receivers are outside systems.
PERSONAL_KEYS = frozenset({"name", "first_name", "last_name", "email", "phone", "title", "notes", "note"})


def listeners(event_type: str) -> list[int]:
    """The ids of the active subscriptions listening to `event_type` (one query)."""
    active = Subscription.objects.filter(is_active=True).values_list("pk", "events")
    return [pk for pk, events in active if event_type in (events or ())]


def listening(event_type: str) -> bool:
    return bool(listeners(event_type))


def _jsonable(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Dates, datetimes and decimals as JSON text, as the message will carry them."""
    assert_no_personal_data(payload)
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def assert_no_personal_data(payload: Mapping[str, Any]) -> None:
    leaked = PERSONAL_KEYS.intersection(payload)
    if leaked:
        raise ValueError(f"Webhook payloads carry ids and codes, not {', '.join(sorted(leaked))}.")


def webhook_emit(event_type: str, payload: Mapping[str, Any]) -> Message | None:
    """Write `event_type` with `payload` to the outbox (inside the caller's transaction); the
    message, or None when no subscription listens."""
    messages = webhook_emit_many(event_type, [payload])
    return messages[0] if messages else None


def webhook_emit_many(event_type: str, payloads: Iterable[Mapping[str, Any]]) -> list[Message]:
    """Write many events of one type at once: two inserts and one query, whatever their number."""
    if event_type not in EventType.values:
        raise ValueError(f"Unknown webhook event type {event_type!r}.")
    subscription_ids = listeners(event_type)
    if not subscription_ids:
        return []
    messages = Message.objects.bulk_create(
        Message(event_type=event_type, payload=_jsonable(payload)) for payload in payloads
    )
    if not messages:
        return []
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        Delivery(message=message, subscription_id=pk, next_attempt_at=now, queued_at=now)
        for message in messages
        for pk in subscription_ids
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids[0] is None:  # a database that does not return ids from bulk inserts
        ids = list(Delivery.objects.filter(message__in=messages).values_list("pk", flat=True))
    transaction.on_commit(partial(enqueue, ids), robust=True)
    return messages

"""Delivering webhook messages: claim, send outside transactions, log, retry with backoff.

- A delivery is claimed under its row lock (`select_for_update(skip_locked=True)`) and leased
  (`locked_until`) before anything is sent: two workers, or a duplicated message, never send one
  delivery twice at once; the attempt is counted at the claim.
- The URL is checked again at the moment of sending (`webhooks.addresses`) and the connection
  pinned to the address checked (`webhooks.transport`): DNS rebinding reaches nothing inside.
- A 2xx answer delivers it. Anything else (another status, a redirect, no answer) is logged as an
  attempt and tried again after BACKOFF (30 s, 2 min, 10 min, 1 h, 6 h), then it is dead. An
  address refused at delivery is dead at once (nothing was sent); "Send again" in the admin
  starts it over.
- The sweep (beat, every WEBHOOKS_SWEEP_SECONDS) publishes the deliveries that are due and not
  already queued within WEBHOOKS_SWEEP_GRACE, and those a dead worker left leased: a lost message
  or a killed worker delays a delivery, never loses it.
At least once: a worker dying after the receiver took the message and before it was marked
delivered sends it again, with the same `webhook-id` (receivers deduplicate on it).
"""

import http.client
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from webhooks.addresses import UnresolvedHost, UnsafeAddress, check_url
from webhooks.models import Delivery, DeliveryAttempt
from webhooks.queue import enqueue
from webhooks.signing import body_of, signed_headers
from webhooks.statuses import UNSENT_STATUSES, DeliveryStatus
from webhooks.transport import post

logger = logging.getLogger(__name__)

# Seconds to wait after the n-th failed attempt; one more failure after the last is dead.
BACKOFF = (30, 120, 600, 3600, 6 * 3600)
MAX_ATTEMPTS = len(BACKOFF) + 1
ERROR_MAX = 2000
CUT_SHORT = "The attempt was cut short before an answer."


def lease_seconds() -> int:
    """How long a claim holds: longer than a send can take (the task's hard limit, 90 s)."""
    return max(120, 3 * settings.WEBHOOKS_TIMEOUT_SECONDS)


def backoff(attempts: int) -> int:
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _due(now: datetime):
    return Delivery.objects.filter(status__in=UNSENT_STATUSES, next_attempt_at__lte=now).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("message", "subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.attempts >= MAX_ATTEMPTS:  # its last attempts ended with their workers, unlogged
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.DEAD, locked_until=None, last_error=CUT_SHORT
            )
            return None
        delivery.attempts += 1
        Delivery.objects.filter(pk=delivery_id).update(
            attempts=F("attempts") + 1, locked_until=now + timedelta(seconds=lease_seconds())
        )
    return delivery


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str = ""
    permanent: bool = False  # no point trying again (an address refused, a subscription gone)

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _send(delivery: Delivery, now: datetime) -> Outcome:
    subscription, message = delivery.subscription, delivery.message
    if not subscription.is_active:
        return Outcome(error="The subscription is no longer active.", permanent=True)
    try:
        target = check_url(subscription.url)
    except UnresolvedHost as error:
        return Outcome(error=str(error))
    except UnsafeAddress as error:
        return Outcome(error=f"Refused: {error}", permanent=True)
    body = body_of(message)
    headers = signed_headers(secret=subscription.secret, webhook_id=message.webhook_id, at=now, body=body)
    try:
        answer = post(target, body, headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(error=f"{type(error).__name__}: {error}")
    if 200 <= answer.status < 300:
        return Outcome(status_code=answer.status)
    return Outcome(status_code=answer.status, error=f"HTTP {answer.status}: {answer.text}".strip())


def _record(delivery: Delivery, outcome: Outcome, *, at: datetime, duration_ms: int) -> str:
    fields = {
        "locked_until": None,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error[:ERROR_MAX],
    }
    if outcome.delivered:
        fields |= {"status": DeliveryStatus.DELIVERED, "delivered_at": at}
    elif outcome.permanent or delivery.attempts >= MAX_ATTEMPTS:
        fields |= {"status": DeliveryStatus.DEAD}
    else:
        wait = backoff(delivery.attempts)
        fields |= {
            "status": DeliveryStatus.RETRYING,
            "next_attempt_at": at + timedelta(seconds=wait),
            "queued_at": None,  # the sweep publishes it when due
        }
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=at,
            status_code=outcome.status_code,
            error=outcome.error[:ERROR_MAX],
            duration_ms=duration_ms,
        )
        Delivery.objects.filter(pk=delivery.pk).update(**fields)
    return fields["status"]


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> str:
    """Try one delivery if it is due and nobody is sending it; run outside any transaction.

    Returns its status after the attempt, or "not_due" when there was nothing to do."""
    if not transaction.get_autocommit():
        raise RuntimeError("Webhooks are sent outside database transactions.")
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "not_due"
    began = time.monotonic()
    try:
        outcome = _send(delivery, now)
    except BaseException as error:  # the task's time limit (a receiver answering byte by byte)
        outcome = Outcome(error=f"{type(error).__name__}: {CUT_SHORT}")
        _record(delivery, outcome, at=now, duration_ms=int((time.monotonic() - began) * 1000))
        raise
    duration_ms = int((time.monotonic() - began) * 1000)
    status = _record(delivery, outcome, at=now, duration_ms=duration_ms)
    if not outcome.delivered:
        logger.info(
            "Webhook delivery %s: attempt %s failed (%s)", delivery.pk, delivery.attempts, outcome.error
        )
    return status


def deliveries_sweep(*, now: datetime | None = None, batch: int = 500) -> int:
    """Publish the deliveries that are due and not queued lately (or left leased by a dead
    worker); returns how many were published."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.WEBHOOKS_SWEEP_GRACE)
    with transaction.atomic():
        ids = list(
            _due(now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=grace))
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    published = enqueue(ids)
    if published < len(ids):  # the broker is down: the next sweep tries these again
        Delivery.objects.filter(pk__in=ids[published:]).update(queued_at=None)
    return published

"""Writes of webhooks other than the outbox (webhooks.outbox): sending deliveries again."""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks.models import Delivery
from webhooks.queue import enqueue
from webhooks.statuses import DeliveryStatus


def deliveries_resend(*, delivery_ids: Iterable[int]) -> int:
    """Send these deliveries again from the start (pending, attempts counted anew); their attempt
    log stays. One being sent right now is left alone. Returns how many were queued."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids))
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            queued_at=now,
            locked_until=None,
            delivered_at=None,
        )
        transaction.on_commit(partial(enqueue, ids), robust=True)
    return len(ids)

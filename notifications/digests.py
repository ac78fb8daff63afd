"""The daily digest: one email per user listing the notifications held for it, which are then sent.

A user who chose "in the app, and a daily email digest" for a kind has its email rows held
(status held); beat runs `digests_send` once a day. Each digest is written through `notify` with a
key naming the last row it covers, so two runs at once write it once.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from notifications.kinds import DAILY_DIGEST
from notifications.message import Message
from notifications.models import Channel, Notification, Status
from notifications.services import notify


def _digest_for(user: User, now: datetime) -> bool:
    with transaction.atomic():
        held = Notification.objects.select_for_update().filter(
            user=user, channel=Channel.EMAIL, status=Status.HELD, created_at__lte=now
        )
        last = held.aggregate(last=Max("pk"))["last"]
        if last is None:
            return False
        count = held.count()
        key = f"digest:{user.pk}:{last}"
        notify(
            kind=DAILY_DIGEST.code,
            key=key,
            users=[user],
            message=Message(f"Your daily digest: {count} notification{'s' if count != 1 else ''}", "", ""),
        )
        digest = Notification.objects.filter(key=key, user=user, channel=Channel.EMAIL).first()
        held.filter(pk__lte=last).update(status=Status.SENT, sent_at=now, digest=digest)
    return True


def digests_send(*, now: datetime | None = None) -> int:
    """One email per user with held notifications, listing them; the held rows are then sent."""
    now = now or timezone.now()
    users = User.objects.filter(
        is_active=True, notifications__status=Status.HELD, notifications__channel=Channel.EMAIL
    ).distinct()
    return sum(1 for user in users if _digest_for(user, now))

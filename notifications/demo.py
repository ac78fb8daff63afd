"""Demo data for notifications: every demo user has read and unread notifications under the bell.

Runs last. The other apps' seeders already wrote notifications through the real services (every
transition tells its people; the limits job tells managers and owners; task reminders and the
weekly digest are written as beat would). Here they are settled into the past: each takes the
time of the history row that caused it, the email of that history counts as sent (the demo does
not mail anyone on start-up), and the older half of each user's in-app notifications is read.
"""

from django.db.models import OuterRef, Subquery

from core.demo_pipeline import DemoContext
from notifications.models import Channel, Notification, Status
from requests_app.models import RequestEvent


def _settle_into_the_past(now) -> None:
    caused_at = RequestEvent.objects.filter(pk=OuterRef("event_id")).values("created_at")[:1]
    Notification.objects.filter(event__isnull=False).update(created_at=Subquery(caused_at))
    pending = Notification.objects.filter(channel=Channel.EMAIL, status__in=[Status.PENDING, Status.HELD])
    pending.update(status=Status.SENT, sent_at=now, attempts=1)


def _read_the_older_half(users, now) -> int:
    read = 0
    for user in users:
        inbox = Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by("-created_at", "-pk")
        ids = list(inbox.values_list("pk", flat=True))
        older = ids[len(ids) // 2 :]
        read += Notification.objects.filter(pk__in=older).update(read_at=now)
    return read


def seed(ctx: DemoContext) -> None:
    """See the module docstring."""
    users = list(ctx.users.values())
    if not users:
        return
    _settle_into_the_past(ctx.now)
    read = _read_the_older_half(users, ctx.now)
    total = Notification.objects.filter(user__in=users, channel=Channel.IN_APP).count()
    ctx.log(f"  notifications: {total} in-app notifications for the demo users, {read} of them read")

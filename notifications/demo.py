"""Demo data for notifications: every demo user has read and unread notifications under the bell.

Runs last. The workflows' and limits' seeders already wrote notifications through the real
services (every transition tells its people; the limits job tells managers and owners). Here they
are settled into the past: each takes the time of the history row that caused it, the email of
that history counts as sent (the demo does not mail anyone on start-up), and the older half of
each user's in-app notifications is read. Task reminders and the weekly digest are written as
beat would, and a demo user still without a notification gets the program's weekly digest in the
app (their preference).
"""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.demo_pipeline import DemoContext
from notifications.kinds import Delivery, OtherKind
from notifications.message import Message
from notifications.models import Channel, Notification, NotificationPreference, Status
from notifications.periodic import task_reminders, week_figures, weekly_digest
from notifications.services import notify
from requests_app.models import RequestEvent


def _settle_into_the_past() -> None:
    caused_at = RequestEvent.objects.filter(pk=OuterRef("event_id")).values("created_at")[:1]
    Notification.objects.filter(event__isnull=False).update(created_at=Subquery(caused_at))
    pending = Notification.objects.filter(channel=Channel.EMAIL, status__in=[Status.PENDING, Status.HELD])
    pending.update(status=Status.SENT, sent_at=timezone.now(), attempts=1)


def _read_the_older_half(users) -> int:
    read = 0
    for user in users:
        inbox = Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by("-created_at", "-pk")
        ids = list(inbox.values_list("pk", flat=True))
        older = ids[len(ids) // 2 :]
        read += Notification.objects.filter(pk__in=older).update(read_at=timezone.now())
    return read


def _digest_for_the_others(users, now) -> None:
    """The week's figures for demo users with nothing yet (marketing, the administrator), who
    chose to see the weekly digest in the app as well as by email."""
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=OtherKind.WEEKLY_DIGEST, delivery=Delivery.BOTH)
            for user in users
        ]
    )
    figures = week_figures(since=now - timedelta(days=7), now=now)
    for week_back in (1, 0):
        moment = now - timedelta(days=7 * week_back)
        body = "The reference program over the last seven days:\n\n" + "\n".join(figures.lines())
        notify(
            kind=OtherKind.WEEKLY_DIGEST,
            key=f"demo-week:{moment:%G-W%V}",
            message=Message(f"Reference program, week {moment:%V} of {moment:%G}", body),
            users=users,
        )
        Notification.objects.filter(key=f"demo-week:{moment:%G-W%V}").update(created_at=moment)


def seed(ctx: DemoContext) -> None:
    """See the module docstring."""
    users = list(ctx.users.values())
    if not users:
        return
    now = timezone.now()
    reminders = task_reminders(now=now)
    digests = weekly_digest(now=now)
    _settle_into_the_past()
    without = [user for user in users if not Notification.objects.filter(user=user).exists()]
    if without:
        _digest_for_the_others(without, now)
        Notification.objects.filter(user__in=without, channel=Channel.EMAIL).update(
            status=Status.SENT, sent_at=now
        )
    read = _read_the_older_half(users)
    total = Notification.objects.filter(user__in=users, channel=Channel.IN_APP).count()
    ctx.log(
        f"  notifications: {reminders} task reminders, {digests} weekly digests; "
        f"{total} in-app notifications for the demo users, {read} of them read"
    )

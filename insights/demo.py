"""Demo data for insights: the story the insights pages tell (insights/demo_story.py: deals won
more often and sooner with references, teams, this quarter's goals, the executive digest), then
the weekly digest, written as beat would.

Runs after the other apps' seeders, so the figures describe the demo program. A demo user still
without any notification (marketing, the administrator) chose to see the weekly digest in the app
as well as by email, and has the last two weeks' digests under the bell.
"""

from datetime import timedelta

from core.demo_pipeline import DemoContext
from insights import demo_story
from insights.weekly import WEEKLY_DIGEST, week_figures, weekly_digest
from notifications.kinds import Delivery
from notifications.message import Message
from notifications.models import Channel, Notification, NotificationPreference, Status
from notifications.services import notify


def _digest_for_the_others(users, now) -> None:
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=WEEKLY_DIGEST.code, delivery=Delivery.BOTH) for user in users]
    )
    figures = week_figures(since=now - timedelta(days=7), now=now)
    for week_back in (1, 0):
        moment = now - timedelta(days=7 * week_back)
        body = "The reference program over the last seven days:\n\n" + "\n".join(figures.lines())
        notify(
            kind=WEEKLY_DIGEST.code,
            key=f"demo-week:{moment:%G-W%V}",
            message=Message(f"Reference program, week {moment:%V} of {moment:%G}", body),
            users=users,
        )
        Notification.objects.filter(key=f"demo-week:{moment:%G-W%V}").update(created_at=moment)
    # The demo mails nobody on start-up: these emails count as sent.
    Notification.objects.filter(user__in=users, channel=Channel.EMAIL).update(status=Status.SENT, sent_at=now)


def seed(ctx: DemoContext) -> None:
    """See the module docstring."""
    users = list(ctx.users.values())
    if not users:
        return
    demo_story.seed(ctx)
    now = ctx.now
    digests = weekly_digest(now=now)
    without = [user for user in users if not Notification.objects.filter(user=user).exists()]
    if without:
        _digest_for_the_others(without, now)
    ctx.log(f"  insights: {digests} weekly digests")

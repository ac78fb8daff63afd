"""The weekly program digest: the program's week in figures, to every reference manager.

Written through notifications' `notify` with a key naming the ISO week, so running the job twice
(or two at once) writes it once. Its kind is registered from InsightsConfig.ready().
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.links import url_or
from core.roles import Role, users_with_role
from limits.models import ContactUsage, UsageState
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify
from requests_app.models import ReferenceRequest, RequestEvent
from requests_app.statuses import OPEN_STATUSES
from workflows.models import Task

WEEKLY_DIGEST = Kind("weekly_digest", "Weekly program digest (to reference managers)", default=Delivery.EMAIL)


def register_kinds() -> None:
    register([WEEKLY_DIGEST])


@dataclass(frozen=True)
class WeekFigures:
    submitted: int
    approved: int
    completed: int
    declined_or_expired: int
    open_requests: int
    overdue_tasks: int
    contacts_at_limit: int
    contacts_near_limit: int

    def lines(self) -> list[str]:
        return [
            f"New requests: {self.submitted}",
            f"Approved with a contact: {self.approved}",
            f"Activities held: {self.completed}",
            f"Declined or expired: {self.declined_or_expired}",
            f"Open requests now: {self.open_requests}",
            f"Overdue tasks now: {self.overdue_tasks}",
            f"Contacts at a limit: {self.contacts_at_limit}; near one: {self.contacts_near_limit}",
        ]


def week_figures(*, since: datetime, now: datetime) -> WeekFigures:
    moves = RequestEvent.objects.filter(created_at__gte=since, created_at__lt=now).aggregate(
        submitted=Count("pk", filter=Q(action="submit")),
        approved=Count("pk", filter=Q(action="approve")),
        completed=Count("pk", filter=Q(action="record_activity")),
        ended=Count("pk", filter=Q(action__in=["decline", "expire"])),
    )
    usage = ContactUsage.objects.aggregate(
        limited=Count("pk", filter=Q(state=UsageState.LIMITED)),
        near=Count("pk", filter=Q(state=UsageState.NEAR)),
    )
    return WeekFigures(
        submitted=moves["submitted"],
        approved=moves["approved"],
        completed=moves["completed"],
        declined_or_expired=moves["ended"],
        open_requests=ReferenceRequest.objects.filter(status__in=OPEN_STATUSES).count(),
        overdue_tasks=Task.objects.filter(status=Task.Status.OPEN, due_at__lt=now).count(),
        contacts_at_limit=usage["limited"],
        contacts_near_limit=usage["near"],
    )


def weekly_digest(*, now: datetime | None = None) -> int:
    """The program's week in figures, to every reference manager, once per ISO week."""
    now = now or timezone.now()
    year, week, _day = timezone.localdate(now).isocalendar()
    figures = week_figures(since=now - timedelta(days=7), now=now)
    body = "The reference program over the last seven days:\n\n" + "\n".join(figures.lines())
    with transaction.atomic():
        return notify(
            kind=WEEKLY_DIGEST.code,
            key=f"weekly:{week_label(timezone.localdate(now))}",
            message=Message(f"Reference program, week {week} of {year}", body, url_or("manage:home", "/")),
            users=users_with_role(Role.MANAGER),
        )


def week_label(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"

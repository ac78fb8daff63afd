"""Notifications made by periodic jobs: task reminders, the daily digest, the weekly digest.

Each writes through `notify` with a key naming what it is about, so running a job twice (or two
at once) writes each notification once.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from limits.models import ContactUsage, UsageState
from notifications.emails import url_or
from notifications.kinds import OtherKind
from notifications.message import Message
from notifications.models import Channel, Notification, Status
from notifications.request_messages import managers
from notifications.services import notify
from requests_app.models import OPEN_STATUSES, ReferenceRequest, RequestEvent
from workflows.models import Task

# --- Task reminders ------------------------------------------------------------------------


def _task_message(task: Task, overdue: bool) -> Message:
    due = date_format(timezone.localtime(task.due_at), "DATETIME_FORMAT")
    request = task.request
    what = request.activity_type.name.lower()
    title = f"{'Overdue' if overdue else 'Due soon'}: {task.title} (request #{request.pk})"
    body = f"“{task.title}” for the {what} of request #{request.pk} {'was' if overdue else 'is'} due {due}."
    return Message(title, body, url_or("tasks:list", url_or("home", "/")))


def task_reminders(*, now: datetime | None = None) -> int:
    """Tell assignees about their open tasks due within NOTIFICATION_DUE_SOON_HOURS and about
    tasks gone overdue: once per task, kind and due time (a new due time is a new reminder)."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.NOTIFICATION_DUE_SOON_HOURS)
    tasks = (
        Task.objects.filter(status=Task.Status.OPEN, assignee__isnull=False, assignee__is_active=True)
        .filter(due_at__lte=soon)
        .select_related("assignee", "request__activity_type")
    )
    pending = []
    for task in tasks:
        kind = OtherKind.TASK_OVERDUE if task.due_at <= now else OtherKind.TASK_DUE_SOON
        pending.append((f"task:{task.pk}:{kind}:{int(task.due_at.timestamp())}", kind, task))
    known = set(
        Notification.objects.filter(key__in=[key for key, _k, _t in pending]).values_list("key", flat=True)
    )
    written = 0
    with transaction.atomic():
        for key, kind, task in pending:
            if key not in known:
                overdue = kind == OtherKind.TASK_OVERDUE
                notify(kind=kind, key=key, message=_task_message(task, overdue), users=[task.assignee])
                written += 1
    return written


# --- The daily digest ----------------------------------------------------------------------


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
            kind=OtherKind.DAILY_DIGEST,
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


# --- The weekly program digest -------------------------------------------------------------


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
            kind=OtherKind.WEEKLY_DIGEST,
            key=f"weekly:{week_label(timezone.localdate(now))}",
            message=Message(f"Reference program, week {week} of {year}", body, url_or("manage:home", "/")),
            users=managers(),
        )


def week_label(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"

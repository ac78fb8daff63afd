"""Reminders of tasks: due soon and overdue, to the assignee, once per task, kind and due time.

Written through notifications' `notify` with a key naming the task, so running the job twice (or
two at once) writes each reminder once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.dates import moment_text
from core.links import url_or
from notifications.message import Message
from notifications.models import Notification
from notifications.services import notify
from workflows.models import Task
from workflows.notices import TASK_DUE_SOON, TASK_OVERDUE
from workflows.zones import zone_of


def _task_message(task: Task, overdue: bool) -> Message:
    with timezone.override(zone_of(task.assignee)):  # the due time in the assignee's zone
        due = moment_text(task.due_at, with_zone=True)
    request = task.request
    if request is None:  # a nomination's task
        subject, of = f"nomination #{task.nomination_id}", f"nomination #{task.nomination_id}"
    else:
        subject, of = (
            f"request #{request.pk}",
            f"the {request.activity_type.name.lower()} of request #{request.pk}",
        )
    title = f"{'Overdue' if overdue else 'Due soon'}: {task.title} ({subject})"
    body = f"“{task.title}” for {of} {'was' if overdue else 'is'} due {due}."
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
        kind = TASK_OVERDUE if task.due_at <= now else TASK_DUE_SOON
        pending.append((f"task:{task.pk}:{kind.code}:{int(task.due_at.timestamp())}", kind, task))
    known = set(
        Notification.objects.filter(key__in=[key for key, _k, _t in pending]).values_list("key", flat=True)
    )
    written = 0
    with transaction.atomic():
        for key, kind, task in pending:
            if key not in known:
                message = _task_message(task, overdue=kind == TASK_OVERDUE)
                notify(kind=kind.code, key=key, message=message, users=[task.assignee])
                written += 1
    return written

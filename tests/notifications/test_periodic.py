"""Notifications from periodic jobs: task reminders, the daily digest, the weekly digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from insights.weekly import weekly_digest
from notifications.delivery import notification_deliver
from notifications.digests import digests_send
from notifications.message import Message
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from tests.builders.requests import drive_to
from workflows.models import Task
from workflows.reminders import task_reminders

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_assignees_hear_once_about_tasks_due_soon_and_once_when_overdue(
    manager, ref_request, customer_contact
):
    drive_to(ref_request, "in_review", customer_contact, manager)
    task = Task.objects.get(request=ref_request, status="open")
    assert task.assignee == manager

    soon = task.due_at - timedelta(hours=2)
    assert task_reminders(now=soon) == 1
    assert task_reminders(now=soon) == 0
    late = task.due_at + timedelta(minutes=5)
    assert task_reminders(now=late) == 1
    assert task_reminders(now=late) == 0

    kinds = sorted(Notification.objects.filter(user=manager, channel="in_app").values_list("kind", flat=True))
    assert kinds.count("task_overdue") == 1 and kinds.count("task_due_soon") == 1
    overdue = Notification.objects.get(user=manager, kind="task_overdue", channel="in_app")
    assert overdue.title == f"Overdue: {task.title} (request #{ref_request.pk})"


def test_the_daily_digest_gathers_held_emails_into_one(manager):
    NotificationPreference.objects.create(user=manager, kind="weekly_digest", delivery="digest")
    for week in (1, 2):
        notify(
            kind="weekly_digest",
            key=f"weekly:{week}",
            users=[manager],
            message=Message(f"Week {week}", "Figures"),
        )
    assert Notification.objects.filter(user=manager, channel="email", status="held").count() == 2

    assert digests_send() == 1
    assert digests_send() == 0  # nothing held any more

    digest = Notification.objects.get(user=manager, kind="daily_digest", channel="email")
    assert digest.title == "Your daily digest: 2 notifications"
    assert notification_deliver(notification_id=digest.pk).outcome == "sent"
    body = mail.outbox[0].body
    assert "Week 1" in body and "Week 2" in body
    held = Notification.objects.filter(user=manager, kind="weekly_digest", channel="email")
    assert set(held.values_list("status", flat=True)) == {"sent"}
    assert set(held.values_list("digest", flat=True)) == {digest.pk}


def test_the_weekly_digest_goes_to_managers_once_a_week(manager, second_manager, sales_rep, ref_request):
    now = timezone.now()

    assert weekly_digest(now=now) == 2  # two managers, by email (the kind's default)
    weekly_digest(now=now)  # again: the same week's key is written once
    digests = Notification.objects.filter(kind="weekly_digest")
    assert digests.count() == 2 and set(digests.values_list("channel", flat=True)) == {"email"}
    assert not digests.filter(user=sales_rep).exists()
    assert "New requests: 1" in digests.first().body

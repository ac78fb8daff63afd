"""Task reminders (workflows.reminders): an assignee hears once when a task is due soon and once
when it is overdue."""

from datetime import timedelta

import pytest

from notifications.models import Notification
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

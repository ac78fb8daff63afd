"""Task lists (complete, reassign, whose list) and the periodic sweep (overdue, escalation, expiry)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role
from requests_app.models import ReferenceRequest, RequestEvent, RequestFeedback
from rms.celery import app as celery_app
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from workflows.models import EventNotice, Task
from workflows.sweep import workflow_sweep
from workflows.tasking import task_complete, task_reassign
from workflows.tasks import workflow_sweep as workflow_sweep_task

pytestmark = pytest.mark.django_db


def _open_task(request) -> Task:
    return Task.objects.get(request=request, status="open")


# --- Task lists -----------------------------------------------------------------------------


def test_whose_list_a_task_is_on(ref_request, manager, marketer, sales_rep, account_owner, customer_contact):
    triage = _open_task(ref_request)
    assert list(Task.objects.on_list_of(manager)) == [triage]  # the manager queue
    assert not Task.objects.on_list_of(marketer).exists()
    assert not Task.objects.on_list_of(sales_rep).exists()
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    approval = _open_task(ref_request)
    assert list(Task.objects.on_list_of(account_owner)) == [approval]
    assert not Task.objects.on_list_of(manager).exists()  # assigned to the owner, not escalated


def test_completing_a_task_opens_the_next_step_of_the_status(ref_request, manager, customer_contact):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    ask = _open_task(ref_request)
    task_complete(task_id=ask.pk, actor=manager)
    assert _open_task(ref_request).title == "Schedule the call"
    assert RequestEvent.objects.filter(request=ref_request, action="task_done").count() == 1
    with pytest.raises(Conflict, match="already closed by Maria Manager"):
        task_complete(task_id=ask.pk, actor=manager)


def test_an_approval_is_answered_on_the_request_not_ticked_off(ref_request, manager, customer_contact):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    with pytest.raises(InvalidInput, match="ends when the request moves on: “Approve” or “Decline”"):
        task_complete(task_id=_open_task(ref_request).pk, actor=customer_contact.account.owner)


def test_nobody_else_completes_someone_elses_task(ref_request, manager, other_rep, marketer):
    for outsider in (other_rep, marketer):
        with pytest.raises(NotAllowed):
            task_complete(task_id=_open_task(ref_request).pk, actor=outsider)


def test_reassigning_a_task(ref_request, manager, sales_rep, customer_contact):
    colleague = factories.make_user("carla", Role.MANAGER, first_name="Carla")
    triage = _open_task(ref_request)
    with pytest.raises(InvalidInput, match="cannot take"):
        task_reassign(task_id=triage.pk, actor=manager, assignee=sales_rep)
    with pytest.raises(NotAllowed):
        task_reassign(task_id=triage.pk, actor=sales_rep, assignee=colleague)
    assert task_reassign(task_id=triage.pk, actor=manager, assignee=colleague).assignee == colleague
    assert RequestEvent.objects.filter(request=ref_request, action="task_reassigned").exists()


# --- The sweep ------------------------------------------------------------------------------


def test_the_sweep_marks_overdue_tasks(ref_request):
    task = _open_task(ref_request)
    assert workflow_sweep(now=task.due_at - timedelta(minutes=1)).overdue == 0
    assert workflow_sweep(now=task.due_at + timedelta(minutes=1)).overdue == 1
    task.refresh_from_db()
    assert task.is_overdue and task.is_late
    assert workflow_sweep(now=task.due_at + timedelta(minutes=2)).overdue == 0


def test_an_unanswered_owner_approval_is_escalated_to_the_managers(ref_request, manager, customer_contact):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    approval = _open_task(ref_request)
    later = approval.due_at + timedelta(hours=1)
    assert workflow_sweep(now=approval.due_at - timedelta(hours=1)).escalated == 0
    result = workflow_sweep(now=later)
    assert (result.escalated, result.overdue) == (1, 1)
    approval.refresh_from_db()
    assert approval.escalated_at == later
    assert list(Task.objects.on_list_of(manager)) == [approval]
    event = RequestEvent.objects.get(request=ref_request, action="escalate")
    assert event.from_status == event.to_status == "awaiting_owner"
    assert EventNotice.objects.filter(event=event, kind="escalation").exists()
    # Running again changes nothing.
    assert workflow_sweep(now=later + timedelta(hours=1)).escalated == 0
    assert RequestEvent.objects.filter(request=ref_request, action="escalate").count() == 1


def test_requests_past_needed_by_and_not_scheduled_expire(sales_rep, customer_contact, manager):
    yesterday = date.today() - timedelta(days=1)
    waiting = {
        status: make_request(sales_rep, customer_contact) for status in ("submitted", "awaiting_owner")
    }
    drive_to(waiting["awaiting_owner"], "awaiting_owner", customer_contact, manager)
    scheduled = drive_to(make_request(sales_rep, customer_contact), "scheduled", customer_contact, manager)
    in_time = make_request(sales_rep, customer_contact)
    ReferenceRequest.objects.exclude(pk=in_time.pk).update(needed_by=yesterday)

    assert workflow_sweep().expired == 2
    for request in waiting.values():
        request.refresh_from_db()
        assert request.status == "expired"
        event = RequestEvent.objects.filter(request=request).latest("id")
        assert (event.action, event.actor) == ("expire", None)
        assert EventNotice.objects.filter(event=event, kind="request_expired").exists()
        assert not Task.objects.filter(request=request, status="open").exists()
    assert ReferenceRequest.objects.get(pk=scheduled.pk).status == "scheduled"
    assert ReferenceRequest.objects.get(pk=in_time.pk).status == "submitted"
    assert workflow_sweep().expired == 0


def test_completed_requests_with_feedback_are_closed(ref_request, manager, customer_contact, sales_rep):
    drive_to(ref_request, "completed", customer_contact, manager)
    assert workflow_sweep().closed == 0
    RequestFeedback.objects.create(
        request=ref_request, took_place=True, helpfulness=5, submitted_by=sales_rep
    )
    assert workflow_sweep().closed == 1
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "closed"


def test_the_beat_schedule_runs_the_sweep_task(ref_request):
    entry = celery_app.conf.beat_schedule["workflows-sweep"]
    assert entry["task"] == workflow_sweep_task.name
    ReferenceRequest.objects.filter(pk=ref_request.pk).update(
        needed_by=timezone.localdate() - timedelta(days=3)
    )
    assert workflow_sweep_task() == {"overdue": 0, "escalated": 0, "expired": 1, "closed": 0, "reminded": 0}


def test_the_last_step_of_a_status_ends_with_the_request_action(ref_request, manager, customer_contact):
    drive_to(ref_request, "scheduled", customer_contact, manager)
    hold = _open_task(ref_request)
    assert hold.title == "Hold the call and record it"
    with pytest.raises(InvalidInput, match="“Record the activity”"):
        task_complete(task_id=hold.pk, actor=manager)


def test_marketings_last_step_is_ticked_off_on_the_list(sales_rep, customer_contact, manager, marketer):
    customer_contact.preferences.activity_types.add(factories.activity_type("online_review"))
    request = drive_to(
        make_request(sales_rep, customer_contact, code="online_review"),
        "scheduled",
        customer_contact,
        manager,
    )
    check = _open_task(request)
    assert (check.title, check.assignee_role) == ("Check the review is published", "marketing")
    assert task_complete(task_id=check.pk, actor=marketer).status == "done"

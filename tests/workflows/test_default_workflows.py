"""The default workflows installed by the data migration, and the tasks and due times they make."""

from datetime import UTC, datetime, timedelta

import pytest

from references.models import ActivityType
from references.taxonomy_data import ACTIVITY_TYPES
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from workflows.calendar import calendar_for
from workflows.models import StaffCalendar, Task, WorkflowStep, WorkflowTemplate
from workflows.tasking import open_tasks_for_status, task_complete
from workflows.transitions import USUAL_PATH

pytestmark = pytest.mark.django_db


def _names(code: str) -> list[str]:
    return list(
        WorkflowStep.objects.filter(template__activity_type__code=code)
        .order_by("order")
        .values_list("name", flat=True)
    )


def test_every_activity_type_has_an_active_workflow():
    assert WorkflowTemplate.objects.filter(is_active=True).count() == ActivityType.objects.count()
    for template in WorkflowTemplate.objects.prefetch_related("steps"):
        by_status = {step.request_status: step for step in template.steps.all()}
        assert {
            "submitted",
            "in_review",
            "needs_info",
            "awaiting_owner",
            "customer_asked",
            "completed",
        } <= set(by_status), template
        owner_step = by_status["awaiting_owner"]
        assert owner_step.role == "account_owner" and owner_step.is_approval


def test_reference_call_workflow():
    assert _names("reference_call") == [
        "Triage the request",
        "Review and choose the reference",
        "Answer the manager's question",
        "Account owner approval",
        "Ask the customer",
        "Schedule the call",
        "Hold the call and record it",
        "Give feedback on the activity",
    ]


def test_case_study_workflow():
    assert _names("case_study") == [
        "Triage the request",
        "Review and choose the reference",
        "Answer the manager's question",
        "Account owner approval",
        "Get the customer's agreement",
        "Interview the customer",
        "Write the draft",
        "Customer approval of the draft",
        "Publish the case study",
        "Give feedback on the activity",
    ]


def test_a_friday_afternoon_triage_is_due_on_monday(sales_rep, customer_contact, settings):
    settings.WORKFLOW_DEFAULT_COUNTRY = "US"
    request = make_request(sales_rep, customer_contact)
    Task.objects.filter(request=request).delete()
    friday = datetime(2025, 6, 13, 14, 0, tzinfo=UTC)
    [task] = open_tasks_for_status(request=request, now=friday)
    # Triage: 4 business hours, unassigned manager queue on the program's calendar (UTC, US holidays).
    assert task.title == "Triage the request" and task.assignee is None
    assert task.due_at == datetime(2025, 6, 16, 10, 0, tzinfo=UTC)


def test_the_owner_approval_is_due_on_the_owners_calendar(
    sales_rep, customer_contact, account_owner, manager
):
    StaffCalendar.objects.create(
        user=account_owner, country=factories.country("DE"), time_zone="Europe/Berlin"
    )
    request = drive_to(make_request(sales_rep, customer_contact), "awaiting_owner", customer_contact, manager)
    Task.objects.filter(request=request).delete()
    # Thursday 2 October 2025, 14:00 in Berlin; Friday is German Unity Day.
    thursday = datetime(2025, 10, 2, 12, 0, tzinfo=UTC)
    [task] = open_tasks_for_status(request=request, now=thursday)
    assert task.assignee == account_owner and task.title == "Account owner approval"
    # Two business days: Monday 14:00 and Tuesday 14:00 Berlin time (12:00 UTC).
    assert task.due_at == datetime(2025, 10, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("code", [code for code, *_ in ACTIVITY_TYPES])
def test_each_workflow_opens_the_right_task_in_each_status(code, sales_rep, customer_contact, manager):
    customer_contact.preferences.activity_types.add(factories.activity_type(code))
    for status in (
        "submitted",
        "in_review",
        "needs_info",
        "awaiting_owner",
        "customer_asked",
        "scheduled",
        "completed",
    ):
        request = drive_to(
            make_request(sales_rep, customer_contact, code=code), status, customer_contact, manager
        )
        first_step = (
            WorkflowStep.objects.filter(template__activity_type__code=code, request_status=status)
            .order_by("order")
            .first()
        )
        open_tasks = list(Task.objects.filter(request=request, status="open").select_related("assignee"))
        assert [t.step_id for t in open_tasks] == ([first_step.pk] if first_step else []), (code, status)
        for task in open_tasks:
            expected = {
                "manager": request.assigned_manager,
                "requester": request.requester,
                "account_owner": customer_contact.account.owner,
            }.get(first_step.role)
            assert task.assignee == expected
            start = task.created_at
            if status == "scheduled":
                start = max(start, ReferenceRequest.objects.get(pk=request.pk).scheduled_for)
            due = calendar_for(task.assignee).add(start, first_step.sla_amount, first_step.sla_unit)
            assert abs(task.due_at - due) < timedelta(seconds=2), (code, status)
        done = Task.objects.filter(request=request).exclude(status="open").count()
        # Every move along the path closed the one task open before it.
        assert done == len(USUAL_PATH[status]), (code, status)


def test_steps_of_one_status_follow_each_other(sales_rep, customer_contact, manager, marketer):
    customer_contact.preferences.activity_types.add(factories.activity_type("case_study"))
    request = make_request(sales_rep, customer_contact, code="case_study")
    request = drive_to(request, "scheduled", customer_contact, manager)
    seen = []
    while (task := Task.objects.filter(request=request, status="open").first()) is not None:
        seen.append(task.title)
        task_complete(task_id=task.pk, actor=marketer if task.assignee_role == "marketing" else manager)
    assert seen == [
        "Interview the customer",
        "Write the draft",
        "Customer approval of the draft",
        "Publish the case study",
    ]
    assert ReferenceRequest.objects.get(pk=request.pk).status == "scheduled"

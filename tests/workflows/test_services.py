"""The transition service: guards, effects, history rows, notices and the tasks it moves."""

from datetime import date, timedelta

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role
from references.models import ReferenceActivity
from requests_app.models import ReferenceRequest, RequestEvent
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, held
from workflows.models import EventNotice, RequestActivity, Task
from workflows.services import feedback_submit, open_workflow_tasks, request_transition

pytestmark = pytest.mark.django_db


def _notices(request) -> list[str]:
    return list(EventNotice.objects.filter(event__request=request).values_list("kind", flat=True))


def test_approving_with_a_contact_asks_its_account_owner(
    ref_request, manager, customer_contact, account_owner
):
    request_transition(request_id=ref_request.pk, action="claim", actor=manager)
    moved = request_transition(
        request_id=ref_request.pk, action="approve", actor=manager, contact=customer_contact.pk
    )
    assert moved.status == "awaiting_owner" and moved.chosen_contact == customer_contact
    task = Task.objects.get(request=ref_request, status="open")
    assert (task.title, task.assignee) == ("Account owner approval", account_owner)
    assert "approval_needed" in _notices(ref_request)


def test_the_second_click_is_told_who_acted_first(ref_request, manager, customer_contact):
    other_manager = factories.make_user("mo", Role.MANAGER, first_name="Mo", last_name="Second")
    request_transition(request_id=ref_request.pk, action="claim", actor=manager)
    request_transition(
        request_id=ref_request.pk, action="approve", actor=manager, contact=customer_contact.pk
    )
    with pytest.raises(Conflict, match="already approved by Maria Manager"):
        request_transition(
            request_id=ref_request.pk, action="approve", actor=other_manager, contact=customer_contact.pk
        )
    assert RequestEvent.objects.filter(request=ref_request, action="approve").count() == 1


def test_a_stale_page_is_refused_even_when_the_action_still_fits(ref_request, manager):
    request_transition(request_id=ref_request.pk, action="claim", actor=manager)
    with pytest.raises(Conflict, match="claimed by Maria Manager"):
        request_transition(
            request_id=ref_request.pk, action="decline", actor=manager, note="No", expected_status="submitted"
        )
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "in_review"


def test_a_sales_rep_cannot_approve(ref_request, sales_rep, other_rep, customer_contact):
    for rep in (sales_rep, other_rep):
        with pytest.raises(NotAllowed):
            request_transition(
                request_id=ref_request.pk, action="approve", actor=rep, contact=customer_contact.pk
            )


def test_an_account_owner_approves_only_their_own_accounts(ref_request, manager, customer_contact, other_rep):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    with pytest.raises(NotAllowed):
        request_transition(request_id=ref_request.pk, action="owner_approve", actor=other_rep)
    owner = customer_contact.account.owner
    moved = request_transition(
        request_id=ref_request.pk, action="owner_approve", actor=owner, note="Go ahead"
    )
    assert moved.status == "customer_asked"
    assert {"request_approved", "customer_asked"} <= set(_notices(ref_request))


def test_an_opted_out_contact_is_refused_at_approval_and_when_the_customer_is_asked(
    ref_request, manager, customer_contact
):
    preferences = customer_contact.preferences
    preferences.opted_out, preferences.opted_out_at = True, preferences.consent_given_at
    preferences.save()
    with pytest.raises(Conflict, match="opted out"):
        request_transition(
            request_id=ref_request.pk, action="approve", actor=manager, contact=customer_contact.pk
        )
    preferences.opted_out, preferences.opted_out_at = False, None
    preferences.save()
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    preferences.paused_by_contact = True
    preferences.save()
    with pytest.raises(Conflict, match="not to be approached"):
        request_transition(
            request_id=ref_request.pk, action="owner_approve", actor=customer_contact.account.owner
        )
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "awaiting_owner"


def test_an_unusable_account_is_refused(ref_request, manager, customer_contact):
    customer_contact.account.at_risk = True
    customer_contact.account.save()
    with pytest.raises(Conflict, match="cannot be used as a reference"):
        request_transition(
            request_id=ref_request.pk, action="approve", actor=manager, contact=customer_contact.pk
        )


def test_a_resting_contact_needs_a_written_override(ref_request, manager, customer_contact):
    customer_contact.status = "resting"
    customer_contact.save()
    with pytest.raises(Conflict, match="resting"):
        request_transition(
            request_id=ref_request.pk, action="approve", actor=manager, contact=customer_contact.pk
        )
    request_transition(
        request_id=ref_request.pk,
        action="approve",
        actor=manager,
        contact=customer_contact.pk,
        override_reason="The CIO asked for this customer by name",
    )
    event = RequestEvent.objects.filter(request=ref_request).latest("id")
    assert "Limit overridden: The CIO asked for this customer by name" in event.note


def test_a_contact_must_do_the_kind_of_activity(ref_request, manager, customer_account):
    video_only = factories.make_contact(customer_account, activity_types=("video",))
    with pytest.raises(InvalidInput, match="has not agreed"):
        request_transition(request_id=ref_request.pk, action="approve", actor=manager, contact=video_only.pk)
    with pytest.raises(InvalidInput, match="Choose a contact"):
        request_transition(request_id=ref_request.pk, action="approve", actor=manager, contact="x")


@pytest.mark.parametrize("paused_from", ["submitted", "in_review"])
def test_needs_info_returns_to_where_it_was(paused_from, ref_request, manager, sales_rep, customer_contact):
    drive_to(ref_request, paused_from, customer_contact, manager)
    moved = request_transition(
        request_id=ref_request.pk, action="ask_info", actor=manager, note="Which product?"
    )
    assert (moved.status, moved.resume_status) == ("needs_info", paused_from)
    assert Task.objects.get(request=ref_request, status="open").assignee == sales_rep
    with pytest.raises(InvalidInput, match="Give a reason"):
        request_transition(request_id=ref_request.pk, action="provide_info", actor=sales_rep, note="  ")
    moved = request_transition(
        request_id=ref_request.pk, action="provide_info", actor=sales_rep, note="Analytics"
    )
    assert (moved.status, moved.resume_status) == (paused_from, "")
    assert Task.objects.filter(request=ref_request, status="open").get().step.request_status == paused_from


def test_reassigning_moves_the_managers_tasks(ref_request, manager, sales_rep, customer_contact):
    drive_to(ref_request, "in_review", customer_contact, manager)
    colleague = factories.make_user("carl", Role.MANAGER)
    with pytest.raises(InvalidInput, match="reference manager"):
        request_transition(request_id=ref_request.pk, action="reassign", actor=manager, assignee=sales_rep.pk)
    moved = request_transition(
        request_id=ref_request.pk, action="reassign", actor=manager, assignee=colleague.pk
    )
    assert moved.assigned_manager == colleague and moved.status == "in_review"
    assert Task.objects.get(request=ref_request, status="open").assignee == colleague


def test_recording_the_activity_links_it_to_the_opportunity_and_asks_feedback(
    ref_request, manager, sales_rep, customer_contact
):
    held(drive_to(ref_request, "scheduled", customer_contact, manager))  # its time has come
    with pytest.raises(InvalidInput, match="once it has happened"):
        request_transition(
            request_id=ref_request.pk,
            action="record_activity",
            actor=manager,
            occurred_on=date.today() + timedelta(days=1),
        )
    moved = request_transition(
        request_id=ref_request.pk,
        action="record_activity",
        actor=manager,
        occurred_on=date.today(),
        duration_minutes="40",
        note="Prospect convinced",
    )
    assert moved.status == "completed"
    activity = ReferenceActivity.objects.get(contact=customer_contact)
    assert activity.duration_minutes == 40 and activity.recorded_by == manager
    assert list(activity.opportunities.all()) == [ref_request.opportunity]
    assert RequestActivity.objects.filter(request=ref_request, activity=activity).exists()
    feedback_task = Task.objects.get(request=ref_request, status="open")
    assert (feedback_task.title, feedback_task.assignee) == ("Give feedback on the activity", sales_rep)
    assert "feedback_requested" in _notices(ref_request)


def test_the_requester_closes_only_after_giving_feedback(ref_request, manager, sales_rep, customer_contact):
    drive_to(ref_request, "completed", customer_contact, manager)
    with pytest.raises(InvalidInput, match="feedback"):
        request_transition(request_id=ref_request.pk, action="close", actor=sales_rep)
    assert request_transition(request_id=ref_request.pk, action="close", actor=manager).status == "closed"


def test_an_owner_decline_sends_the_request_back_to_review(ref_request, manager, customer_contact):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    owner = customer_contact.account.owner
    moved = request_transition(request_id=ref_request.pk, action="owner_decline", actor=owner, note="Renewal")
    assert moved.status == "in_review" and moved.chosen_contact is None
    assert Task.objects.get(request=ref_request, status="skipped").title == "Account owner approval"
    assert Task.objects.get(request=ref_request, status="open").title == "Review and choose the reference"


def test_declining_needs_a_reason_and_skips_the_open_tasks(ref_request, manager):
    with pytest.raises(InvalidInput):
        request_transition(request_id=ref_request.pk, action="decline", actor=manager)
    request_transition(request_id=ref_request.pk, action="decline", actor=manager, note="No fit")
    assert list(Task.objects.filter(request=ref_request).values_list("status", flat=True)) == ["skipped"]
    assert "request_declined" in _notices(ref_request)


def test_every_change_leaves_one_history_row(ref_request, manager, customer_contact, sales_rep):
    drive_to(ref_request, "closed", customer_contact, manager)
    rows = list(
        RequestEvent.objects.filter(request=ref_request).values_list("action", "from_status", "to_status")
    )
    assert rows == [
        ("submit", "", "submitted"),
        ("claim", "submitted", "in_review"),
        ("approve", "in_review", "awaiting_owner"),
        ("owner_approve", "awaiting_owner", "customer_asked"),
        ("schedule", "customer_asked", "scheduled"),
        ("record_activity", "scheduled", "completed"),
        ("close", "completed", "closed"),
    ]
    actors = list(RequestEvent.objects.filter(request=ref_request).values_list("actor__username", flat=True))
    assert actors == ["sally", "maria", "maria", "olivia", "maria", "maria", "maria"]


def test_opening_a_new_requests_tasks_twice_is_harmless(ref_request, sales_rep):
    open_workflow_tasks(request=ref_request, actor=sales_rep)
    assert Task.objects.filter(request=ref_request, status="open").count() == 1
    assert _notices(ref_request) == ["request_submitted"]


def test_opening_tasks_writes_the_submission_row_when_missing(sales_rep, customer_contact):
    request = ReferenceRequest.objects.create(
        requester=sales_rep,
        opportunity=factories.make_opportunity(sales_rep),
        activity_type=factories.activity_type(),
        needed_by=date.today() + timedelta(days=9),
    )
    [task] = open_workflow_tasks(request=request, actor=sales_rep)
    assert task.title == "Triage the request"
    event = RequestEvent.objects.get(request=request)
    assert (event.action, event.actor, event.to_status) == ("submit", sales_rep, "submitted")


def test_the_requesters_feedback_closes_the_request(ref_request, manager, sales_rep, customer_contact):
    drive_to(ref_request, "completed", customer_contact, manager)
    feedback_submit(
        request=ref_request, actor=sales_rep, took_place=True, helpfulness=5, would_use_again=True
    )
    request = ReferenceRequest.objects.get(pk=ref_request.pk)
    assert request.status == "closed"
    assert not Task.objects.filter(request=request, status="open").exists()
    assert list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))[-2:] == [
        "feedback",
        "close",
    ]

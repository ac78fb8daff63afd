"""A request waiting for an account owner who cannot answer: the manager approves on the owner's
behalf, with a reason kept in the history, or gives the account to another owner, to whom the
approval then goes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from notifications.models import Notification
from references.models import Account, AccountNote
from requests_app.models import ReferenceRequest
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request
from workflows.calendar import calendar_for
from workflows.models import StaffCalendar, StepRole, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(ref_request, manager, customer_contact):
    """Sally's request for Grace Globex, approved by the program, waiting for Olivia (the owner)."""
    return drive_to(ref_request, "awaiting_owner", customer_contact, manager)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _act(client, request, **data):
    return client.post(reverse("manage:request-act", args=[request.pk]), data)


def test_the_manager_is_offered_approval_on_behalf_of_the_owner_not_a_bare_approve(manager_client, awaiting):
    page = manager_client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert 'value="approve_for_owner"' in page and "Approve on behalf of the owner" in page
    assert 'value="owner_approve"' not in page


def test_approving_on_behalf_of_the_owner_needs_a_reason(manager_client, awaiting):
    response = _act(manager_client, awaiting, action="approve_for_owner", note="  ")
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "awaiting_owner"


def test_the_bare_owner_approval_is_refused_to_a_manager(manager_client, awaiting):
    response = _act(manager_client, awaiting, action="owner_approve", note="Fine")
    assert response.status_code == 403
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "awaiting_owner"


def test_approval_on_behalf_of_the_owner_is_recorded_as_such(
    manager_client, client, awaiting, sales_rep, customer_contact
):
    response = _act(
        manager_client,
        awaiting,
        action="approve_for_owner",
        note="Olivia is on leave until March.",
        expected_status="awaiting_owner",
    )
    assert response.status_code == 302
    request = ReferenceRequest.objects.get(pk=awaiting.pk)
    assert request.status == "customer_asked"
    event = request.events.latest("id")
    assert event.action == "approve_for_owner" and event.actor.username == "maria"
    assert event.note == "On behalf of Olivia Owner, the account owner: Olivia is on leave until March."
    # The history says it on the manager's page and on the requester's.
    words = "Maria Manager</strong>\n    approved on behalf of the account owner"
    manager_page = manager_client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert words in manager_page and "On behalf of Olivia Owner" in manager_page
    client.force_login(sales_rep)
    sales_page = client.get(reverse("sales:request", args=[awaiting.pk])).content.decode()
    assert "approved on behalf of the account owner" in sales_page
    assert "Olivia is on leave until March." in sales_page
    # The same notices as the owner's own approval: the requester, and the customer asked.
    approved = Notification.objects.get(kind="request_approved", user=sales_rep, channel="in_app")
    assert "Maria Manager, on behalf of the account owner, approved" in approved.body
    assert Notification.objects.filter(kind="customer_asked", contact=customer_contact).exists()


def test_an_owner_who_is_a_manager_approves_as_the_owner(client, manager, sales_rep, customer_contact):
    Account.objects.filter(pk=customer_contact.account_id).update(owner=manager)
    request = make_request(sales_rep, customer_contact)
    awaiting = drive_to(request, "awaiting_owner", customer_contact, manager)
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert 'value="owner_approve"' in page and 'value="approve_for_owner"' not in page


# --- Declining on behalf of the owner ---------------------------------------------------------


def test_the_manager_is_offered_a_decline_on_behalf_of_the_owner_not_a_bare_decline(manager_client, awaiting):
    page = manager_client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert 'value="decline_for_owner"' in page and "Decline on behalf of the owner" in page
    assert 'value="owner_decline"' not in page


def test_declining_on_behalf_of_the_owner_needs_a_reason(manager_client, awaiting):
    response = _act(manager_client, awaiting, action="decline_for_owner", note="  ")
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
    request = ReferenceRequest.objects.get(pk=awaiting.pk)
    assert request.status == "awaiting_owner" and request.chosen_contact_id is not None
    assert not request.events.filter(action="decline_for_owner").exists()


def test_the_bare_owner_decline_is_refused_to_a_manager(manager_client, awaiting):
    response = _act(manager_client, awaiting, action="owner_decline", note="No")
    assert response.status_code == 403
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "awaiting_owner"


def test_a_decline_on_behalf_of_the_owner_is_recorded_as_such(manager_client, client, awaiting, sales_rep):
    # The request is another manager's, who hears of the decline (the one who acts is not told).
    colleague = catalogue.make_user("mo", Role.MANAGER, first_name="Mo", last_name="Manager")
    ReferenceRequest.objects.filter(pk=awaiting.pk).update(assigned_manager=colleague)
    response = _act(
        manager_client,
        awaiting,
        action="decline_for_owner",
        note="Olivia said on the phone: renewal under negotiation.",
        expected_status="awaiting_owner",
    )
    assert response.status_code == 302
    request = ReferenceRequest.objects.get(pk=awaiting.pk)
    # Like the owner's decline: back to review, the contact released for another choice.
    assert request.status == "in_review" and request.chosen_contact_id is None
    event = request.events.latest("id")
    assert event.action == "decline_for_owner" and event.actor.username == "maria"
    assert event.note == (
        "On behalf of Olivia Owner, the account owner: Olivia said on the phone: renewal under negotiation."
    )
    words = "Maria Manager</strong>\n    declined on behalf of the account owner"
    manager_page = manager_client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert words in manager_page and "On behalf of Olivia Owner" in manager_page
    client.force_login(sales_rep)
    sales_page = client.get(reverse("sales:request", args=[awaiting.pk])).content.decode()
    assert "declined on behalf of the account owner" in sales_page
    # The same notice as the owner's decline, saying who stood in.
    told = Notification.objects.get(kind="owner_declined", user=colleague, channel="in_app")
    assert told.title == f"Maria Manager, on behalf of the account owner, declined request #{awaiting.pk}"


@pytest.mark.parametrize("who", ["sales_rep", "account_owner", "other_rep"])
def test_only_a_manager_declines_on_behalf_of_the_owner(client, request, who, awaiting):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("manage:request-act", args=[awaiting.pk]), {"action": "decline_for_owner", "note": "Mine"}
    )
    assert response.status_code in (403, 404)
    answer = client.post(
        reverse("sales:approval-answer", args=[awaiting.pk]), {"action": "decline_for_owner", "note": "Mine"}
    )
    assert answer.status_code in (400, 403, 404)
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "awaiting_owner"
    assert not awaiting.events.filter(action="decline_for_owner").exists()


def test_an_owner_who_is_a_manager_declines_as_the_owner(client, manager, sales_rep, customer_contact):
    Account.objects.filter(pk=customer_contact.account_id).update(owner=manager)
    awaiting = drive_to(
        make_request(sales_rep, customer_contact), "awaiting_owner", customer_contact, manager
    )
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert 'value="owner_decline"' in page and 'value="decline_for_owner"' not in page


# --- Reassigning the owner ------------------------------------------------------------------


def test_the_request_page_offers_to_reassign_the_owner(manager_client, awaiting, customer_contact):
    page = manager_client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    url = reverse("manage:account-owner", args=[customer_contact.account_id])
    assert f"{url}?request={awaiting.pk}" in page


def test_reassigning_the_owner_hands_the_approval_to_the_new_owner(
    manager_client, client, awaiting, customer_contact, other_rep, account_owner
):
    account = customer_contact.account
    owner_task = Task.objects.get(request=awaiting, status="open", assignee_role=StepRole.ACCOUNT_OWNER)
    assert owner_task.assignee == account_owner
    url = reverse("manage:account-owner", args=[account.pk])
    form = manager_client.get(f"{url}?request={awaiting.pk}").content.decode()
    assert "Oscar Other" in form and f'value="{awaiting.pk}"' in form
    response = manager_client.post(
        url, {"owner": other_rep.pk, "reason": "Olivia left the company.", "request": awaiting.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:request", args=[awaiting.pk])
    account.refresh_from_db()
    assert account.owner == other_rep
    # In the account's history, with who and why.
    note = AccountNote.objects.get(account=account)
    assert note.author.username == "maria"
    assert note.body == "Owner changed from Olivia Owner to Oscar Other: Olivia left the company."
    # The open approval is Oscar's now: his task, his notification, his answer.
    owner_task.refresh_from_db()
    assert owner_task.assignee == other_rep
    told = Notification.objects.filter(kind="approval_needed", user=other_rep, request_id=awaiting.pk)
    assert told.exists()
    page = manager_client.get(reverse("manage:request", args=[awaiting.pk])).content.decode()
    assert "Owner: Oscar Other — approves this request" in page
    assert "handed the approval to the account&#x27;s new owner" in page
    client.force_login(other_rep)
    answer = client.post(
        reverse("sales:approval-answer", args=[awaiting.pk]),
        {"action": "owner_approve", "expected_status": "awaiting_owner"},
    )
    assert answer.status_code == 302
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "customer_asked"
    # Olivia no longer answers for the account.
    client.force_login(account_owner)
    assert client.get(reverse("sales:approval", args=[awaiting.pk])).status_code == 404


def test_the_new_owner_must_be_someone_who_may_own_accounts(manager_client, customer_contact, marketer):
    url = reverse("manage:account-owner", args=[customer_contact.account_id])
    response = manager_client.post(url, {"owner": marketer.pk, "reason": "Why not"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = manager_client.post(url, {"owner": catalogue.make_user().pk, "reason": ""})
    assert response.status_code == 400
    assert Account.objects.get(pk=customer_contact.account_id).owner.username == "olivia"


def test_the_account_page_links_to_reassigning_its_owner(manager_client, customer_contact):
    page = manager_client.get(reverse("manage:account", args=[customer_contact.account_id])).content.decode()
    assert reverse("manage:account-owner", args=[customer_contact.account_id]) in page


@pytest.mark.parametrize("who", ["sales_rep", "account_owner", "marketer"])
def test_only_reference_managers_reassign_an_owner(client, request, who, customer_contact, other_rep):
    client.force_login(request.getfixturevalue(who))
    url = reverse("manage:account-owner", args=[customer_contact.account_id])
    assert client.post(url, {"owner": other_rep.pk, "reason": "Mine now"}).status_code == 403
    assert Account.objects.get(pk=customer_contact.account_id).owner.username == "olivia"


def test_only_requests_waiting_for_the_owner_tell_the_new_owner(
    manager_client, awaiting, sales_rep, manager, customer_contact, other_rep
):
    asked = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    url = reverse("manage:account-owner", args=[customer_contact.account_id])
    assert manager_client.post(url, {"owner": other_rep.pk, "reason": "Territory change"}).status_code == 302
    assert awaiting.events.filter(action="owner_changed").count() == 1
    assert not asked.events.filter(action="owner_changed").exists()
    assert Notification.objects.filter(kind="approval_needed", user=other_rep).count() == 2  # in app, email


def test_the_new_owner_gets_a_fresh_due_time_on_their_calendar_and_no_escalation(
    manager_client, awaiting, customer_contact, other_rep
):
    # Oscar works in Berlin; Olivia's task was long overdue and escalated.
    StaffCalendar.objects.create(
        user=other_rep, country=catalogue.country("NZ"), time_zone="Pacific/Auckland"
    )
    owner_task = Task.objects.get(request=awaiting, status="open", assignee_role=StepRole.ACCOUNT_OWNER)
    stale = timezone.now() - timedelta(days=10)
    Task.objects.filter(pk=owner_task.pk).update(due_at=stale, escalated_at=stale, is_overdue=True)
    url = reverse("manage:account-owner", args=[customer_contact.account_id])
    before = timezone.now()
    assert manager_client.post(url, {"owner": other_rep.pk, "reason": "Olivia left."}).status_code == 302
    after = timezone.now()
    owner_task.refresh_from_db()
    assert owner_task.assignee == other_rep
    assert owner_task.escalated_at is None and not owner_task.is_overdue
    # Counted from the hand-over on Oscar's business calendar, as a task opened for him then.
    oscar = calendar_for(other_rep)
    step = owner_task.step
    earliest, latest = (oscar.add(moment, step.sla_amount, step.sla_unit) for moment in (before, after))
    assert earliest <= owner_task.due_at <= latest

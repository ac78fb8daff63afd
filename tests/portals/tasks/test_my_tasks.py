"""My tasks (every staff user, htmx inline actions, counts in the navigation)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to
from workflows.models import Task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _open(request) -> Task:
    return Task.objects.get(request=request, status="open")


def test_every_staff_user_has_my_tasks_with_a_count_in_the_navigation(
    client, ref_request, manager, customer_contact
):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    owner = customer_contact.account.owner
    client.force_login(owner)
    page = client.get(reverse("tasks:list")).content.decode()
    assert "Account owner approval" in page
    assert '<span id="nav-task-count" class="count">1</span>' in page
    assert reverse("sales:approval", args=[ref_request.pk]) in page  # answered there, not ticked off
    assert reverse("tasks:complete", args=[_open(ref_request).pk]) not in page


def test_outsiders_have_no_task_list(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("tasks:list")).status_code == 403


def test_overdue_tasks_are_highlighted(client, manager, ref_request):
    Task.objects.filter(request=ref_request).update(due_at=timezone.now() - timedelta(hours=2))
    client.force_login(manager)
    page = client.get(reverse("tasks:list")).content.decode()
    assert 'class="task-row late"' in page and "overdue" in page
    assert "1 late</span>" in page


def test_completing_a_task_inline_returns_the_row_and_the_new_count(
    client, manager, ref_request, customer_contact
):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    client.force_login(manager)
    task = _open(ref_request)
    assert task.title == "Ask the customer"
    response = client.post(reverse("tasks:complete", args=[task.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="task-{task.pk}"' in html and "Done" in html
    # "Schedule the call" follows on the same list.
    assert '<span id="nav-task-count" class="count" hx-swap-oob="true">1</span>' in html
    assert Task.objects.get(pk=task.pk).status == "done"
    again = client.post(reverse("tasks:complete", args=[task.pk]), **HTMX)
    assert again.status_code == 409 and "already closed by Maria Manager" in again.content.decode()


def test_completing_without_javascript_comes_back_to_the_list(client, manager, ref_request, customer_contact):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    client.force_login(manager)
    response = client.post(reverse("tasks:complete", args=[_open(ref_request).pk]))
    assert response.status_code == 302 and response["Location"] == reverse("tasks:list")
    assert _open(ref_request).title == "Schedule the call"


def test_a_task_that_ends_with_a_request_action_links_to_the_request(client, manager, ref_request):
    client.force_login(manager)
    triage = _open(ref_request)
    page = client.get(reverse("tasks:list")).content.decode()
    assert reverse("tasks:complete", args=[triage.pk]) not in page
    assert reverse("manage:request", args=[ref_request.pk]) in page and "Open request" in page
    response = client.post(reverse("tasks:complete", args=[triage.pk]), **HTMX)
    assert response.status_code == 400 and "“Claim”" in response.content.decode()
    assert _open(ref_request).pk == triage.pk


def _row_text(task: Task) -> list[str]:
    """What a task's row would tell about its request: the prospect, the requester, the account."""
    request = task.request
    requester = request.requester
    texts = [request.opportunity.prospect_name, requester.get_full_name(), requester.username]
    if request.chosen_contact_id:
        texts.append(request.chosen_contact.account.name)
    return texts


@pytest.mark.parametrize("action", ["complete", "reassign"])
def test_someone_elses_task_is_not_found_and_shows_nothing_of_it(
    client, action, other_rep, marketer, ref_request, manager, customer_contact
):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    approval = _open(ref_request)  # the account owner's (Olivia's) approval of Sally's request
    for intruder in (other_rep, marketer):
        client.force_login(intruder)
        url = reverse(f"tasks:{action}", args=[approval.pk])
        response = client.post(url, {"assignee": intruder.pk}, **HTMX)
        assert response.status_code == 404
        body = response.content.decode()
        assert not [text for text in _row_text(approval) if text in body]
        assert f"#{ref_request.pk}" not in body
    assert _open(ref_request).pk == approval.pk and _open(ref_request).assignee == approval.assignee
    assert client.post(reverse(f"tasks:{action}", args=[999999]), **HTMX).status_code == 404


def test_a_refused_task_of_ones_own_list_is_shown_with_the_reason(
    client, ref_request, manager, customer_contact
):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    approval = _open(ref_request)
    client.force_login(customer_contact.account.owner)
    response = client.post(reverse("tasks:complete", args=[approval.pk]), **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="task-{approval.pk}"' in body and "ends when the request moves on" in body


def test_reassigning_a_task_inline(client, manager, sales_rep, ref_request):
    colleague = factories.make_user("carl", Role.MANAGER, first_name="Carl")
    client.force_login(manager)
    task = _open(ref_request)
    refused = client.post(reverse("tasks:reassign", args=[task.pk]), {"assignee": sales_rep.pk}, **HTMX)
    assert refused.status_code == 400 and "cannot take" in refused.content.decode()
    response = client.post(reverse("tasks:reassign", args=[task.pk]), {"assignee": colleague.pk}, **HTMX)
    assert response.status_code == 200
    assert Task.objects.get(pk=task.pk).assignee == colleague
    assert (
        client.post(reverse("tasks:reassign", args=[task.pk]), {"assignee": "x"}, **HTMX).status_code == 400
    )


def test_a_marketers_task_on_a_campaign_request_links_to_its_page_in_content(
    client, marketer, manager, customer_account
):
    """The requester's task of a campaign request (no deal) is worked on /content/: its link must
    not send marketing to the sales portal, which refuses them."""
    from references.taxonomy_data import CAMPAIGN_ACTIVITY_TYPES
    from tests.builders.requests import make_campaign_request

    contact = factories.make_contact(customer_account, activity_types=CAMPAIGN_ACTIVITY_TYPES)
    campaign = drive_to(make_campaign_request(marketer, contact), "completed", contact, manager)
    task = Task.objects.get(request=campaign, status="open", assignee_role="requester")
    assert task.assignee == marketer

    client.force_login(marketer)
    page = client.get(reverse("tasks:list")).content.decode()

    assert task.title in page
    assert reverse("content:campaign", args=[campaign.pk]) in page
    assert reverse("sales:request", args=[campaign.pk]) not in page
    assert client.get(reverse("content:campaign", args=[campaign.pk])).status_code == 200

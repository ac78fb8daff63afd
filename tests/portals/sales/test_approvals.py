"""The account owner's approvals in the sales portal: their own only, answered there; a second
answer is told who answered first."""

import pytest
from django.urls import reverse

from requests_app.models import ReferenceRequest
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(ref_request, manager, customer_contact):
    return drive_to(ref_request, "awaiting_owner", customer_contact, manager)


def test_an_owner_sees_and_answers_their_own_approvals(client, awaiting, account_owner):
    client.force_login(account_owner)
    page = client.get(reverse("sales:approvals")).content.decode()
    assert "Grace Globex" in page and f"#{awaiting.pk}" in page
    detail = client.get(reverse("sales:approval", args=[awaiting.pk]))
    assert detail.status_code == 200 and 'value="owner_approve"' in detail.content.decode()
    response = client.post(
        reverse("sales:approval-answer", args=[awaiting.pk]),
        {"action": "owner_approve", "note": "Go ahead", "expected_status": "awaiting_owner"},
    )
    assert response.status_code == 302
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "customer_asked"


def test_declining_needs_a_comment(client, awaiting, account_owner):
    client.force_login(account_owner)
    url = reverse("sales:approval-answer", args=[awaiting.pk])
    response = client.post(url, {"action": "owner_decline", "note": ""})
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
    response = client.post(url, {"action": "owner_decline", "note": "Renewal under negotiation"})
    assert response.status_code == 302
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "in_review"


def test_a_rep_cannot_see_or_answer_another_owners_approval(client, awaiting, other_rep, sales_rep):
    for rep in (other_rep, sales_rep):
        client.force_login(rep)
        assert client.get(reverse("sales:approval", args=[awaiting.pk])).status_code == 404
        response = client.post(
            reverse("sales:approval-answer", args=[awaiting.pk]), {"action": "owner_approve"}
        )
        assert response.status_code == 404
        listed = client.get(reverse("sales:approvals")).content.decode()
        assert reverse("sales:approval", args=[awaiting.pk]) not in listed
    assert ReferenceRequest.objects.get(pk=awaiting.pk).status == "awaiting_owner"


def test_a_second_answer_is_told_who_answered(client, awaiting, account_owner, manager):
    client.force_login(manager)
    # The manager may answer an escalated approval on the owner's behalf, with a reason.
    client.post(
        reverse("manage:request-act", args=[awaiting.pk]),
        {"action": "approve_for_owner", "note": "Olivia is away this month."},
    )
    client.force_login(account_owner)
    response = client.post(
        reverse("sales:approval-answer", args=[awaiting.pk]),
        {"action": "owner_approve", "expected_status": "awaiting_owner"},
    )
    assert response.status_code == 409
    assert "approved on behalf of the account owner by Maria Manager" in response.content.decode()


def test_the_approval_shows_collisions(client, awaiting, account_owner, other_rep, customer_contact):
    make_request(other_rep, customer_contact, campaign="Analyst day")
    client.force_login(account_owner)
    page = client.get(reverse("sales:approval", args=[awaiting.pk])).content.decode()
    assert "Also being asked" in page and "Grace Globex is also asked" in page

"""The workflow API: actions from the same table, refusals as 400/403/404/409, My tasks."""

import pytest
from django.urls import reverse

from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def _url(request) -> str:
    return reverse("api-request-transitions", args=[request.pk])


def test_the_actions_offered_are_the_tables(client, manager, ref_request):
    client.force_login(manager)
    actions = {a["action"] for a in client.get(_url(ref_request)).json()}
    assert actions == {"claim", "reassign", "approve", "decline", "ask_info", "cancel"}


def test_taking_an_action(client, manager, ref_request, customer_contact):
    client.force_login(manager)
    response = client.post(_url(ref_request), {"action": "claim"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    response = client.post(
        _url(ref_request),
        {"action": "approve", "contact": customer_contact.pk},
        content_type="application/json",
    )
    assert response.json()["chosen_contact_id"] == customer_contact.pk


def test_refusals_are_400_403_409_never_500(client, manager, sales_rep, ref_request):
    def post(data):
        return client.post(_url(ref_request), data, content_type="application/json")

    client.force_login(manager)
    assert post({"action": "decline"}).status_code == 400  # no reason given
    assert post({"action": "warp"}).status_code == 400
    assert post({"action": "claim", "scheduled_for": "not a date"}).status_code == 400
    assert post({"action": "claim"}).status_code == 200
    second = post({"action": "claim"})
    assert second.status_code == 409
    assert "already claimed by Maria Manager" in second.json()["error"]["message"]
    client.force_login(sales_rep)
    assert post({"action": "cancel"}).status_code == 400  # the requester must give a reason
    forbidden = post({"action": "decline", "note": "no"})
    assert forbidden.status_code == 403
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "in_review"


def test_another_reps_request_is_404(client, other_rep, ref_request):
    client.force_login(other_rep)
    assert client.get(_url(ref_request)).status_code == 404
    assert client.post(_url(ref_request), {"action": "cancel", "note": "x"}).status_code == 404


def test_the_account_owner_answers_through_the_api(client, manager, ref_request, customer_contact):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    client.force_login(customer_contact.account.owner)
    assert {a["action"] for a in client.get(_url(ref_request)).json()} == {"owner_approve", "owner_decline"}
    response = client.post(_url(ref_request), {"action": "owner_approve"}, content_type="application/json")
    assert response.json()["status"] == "customer_asked"


def test_a_manager_answers_for_the_owner_only_on_their_behalf(client, manager, ref_request, customer_contact):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    client.force_login(manager)
    offered = {a["action"] for a in client.get(_url(ref_request)).json()}
    assert {"approve_for_owner", "decline_for_owner"} <= offered
    assert not offered & {"owner_approve", "owner_decline"}


def test_my_tasks(client, manager, ref_request, marketer):
    client.force_login(manager)
    rows = client.get(reverse("api-tasks")).json()["results"]
    assert [(r["title"], r["request_id"]) for r in rows] == [("Triage the request", ref_request.pk)]
    client.force_login(marketer)
    assert client.get(reverse("api-tasks")).json()["results"] == []
    client.force_login(factories.make_user("nobody2", is_staff=False))
    assert client.get(reverse("api-tasks")).status_code == 403


def test_a_user_with_no_role_is_refused(client, outsider, ref_request):
    client.force_login(outsider)
    assert client.get(_url(ref_request)).status_code == 403

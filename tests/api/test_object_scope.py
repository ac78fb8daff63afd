"""The workflow API resolves every id it is sent through the request's own scope: participants
at the approved contact's account, an assignee among the active reference managers."""

from datetime import date

import pytest
from django.urls import reverse

from core.roles import Role
from references.models import ReferenceActivity
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, held
from workflows.models import RequestActivity

pytestmark = pytest.mark.django_db


def _post(client, request, data):
    url = reverse("api-request-transitions", args=[request.pk])
    return client.post(url, data, content_type="application/json")


def _record(participants) -> dict:
    return {
        "action": "record_activity",
        "occurred_on": date.today().isoformat(),
        "participants": participants,
    }


def test_a_requester_cannot_record_an_activity_naming_contacts_of_unrelated_accounts(
    client, ref_request, manager, sales_rep, customer_contact
):
    drive_to(ref_request, "scheduled", customer_contact, manager)
    strangers = [
        factories.make_contact(factories.make_account(factories.make_user(f"owner{n}", Role.SALES)))
        for n in range(3)
    ]
    client.force_login(sales_rep)
    response = _post(client, ref_request, _record([c.pk for c in strangers]))
    assert response.status_code == 400
    assert "participants" in response.json()["error"]["fields"]
    assert not ReferenceActivity.objects.exists() and not RequestActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"


def test_a_requester_records_the_people_who_took_part(
    client, ref_request, manager, sales_rep, customer_contact, customer_account
):
    held(drive_to(ref_request, "scheduled", customer_contact, manager))  # its time has come
    colleague = factories.make_contact(customer_account)
    client.force_login(sales_rep)
    response = _post(client, ref_request, _record([customer_contact.pk, colleague.pk]))
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert set(ReferenceActivity.objects.values_list("contact_id", flat=True)) == {
        customer_contact.pk,
        colleague.pk,
    }


def test_a_request_is_assigned_only_to_an_active_reference_manager(
    client, ref_request, manager, second_manager, sales_rep
):
    client.force_login(manager)
    second_manager.is_active = False
    second_manager.save(update_fields=["is_active"])
    for who in (sales_rep.pk, second_manager.pk, "x"):
        response = _post(client, ref_request, {"action": "reassign", "assignee": who})
        assert response.status_code == 400 and "assignee" in response.json()["error"]["fields"], who
    assert ReferenceRequest.objects.get(pk=ref_request.pk).assigned_manager is None
    response = _post(client, ref_request, {"action": "reassign", "assignee": manager.pk})
    assert response.status_code == 200 and response.json()["assigned_manager_id"] == manager.pk

"""The manager portal takes the ids it is posted only from the scope of the object at hand: the
participants of a recorded activity, an event's speakers, an account's owner."""

from datetime import date

import pytest
from django.urls import reverse

from core.roles import Role
from references.models import Account, ReferenceActivity
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, held, make_request
from workflows.models import Event

pytestmark = pytest.mark.django_db


def _stranger():
    owner = factories.make_user("stranger_owner", Role.SALES)
    return factories.make_contact(factories.make_account(owner, name="Unrelated Holdings"))


def test_recording_refuses_a_participant_from_another_account(
    manager_client, ref_request, manager, customer_contact, customer_account
):
    held(drive_to(ref_request, "scheduled", customer_contact, manager))  # its time has come
    url = reverse("manage:request-record", args=[ref_request.pk])
    data = {"occurred_on": date.today().isoformat(), "participants": [customer_contact.pk, _stranger().pk]}
    response = manager_client.post(url, data)
    assert response.status_code == 400
    assert "participants" in response.context["form"].errors
    assert not ReferenceActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"
    colleague = factories.make_contact(customer_account)
    data["participants"] = [customer_contact.pk, colleague.pk]
    assert manager_client.post(url, data).status_code == 302
    assert ReferenceActivity.objects.count() == 2


def test_an_event_refuses_a_speaker_its_requests_did_not_choose(
    manager_client, manager, sales_rep, customer_contact
):
    served = drive_to(make_request(sales_rep, customer_contact), "scheduled", customer_contact, manager)
    response = manager_client.post(
        reverse("manage:event-new"),
        {
            "title": "Round table",
            "activity_type": factories.activity_type("peer_networking").pk,
            "occurred_on": date.today().isoformat(),
            "requests": [served.pk],
            "speakers": [customer_contact.pk, _stranger().pk],
        },
    )
    assert response.status_code == 400
    assert "speakers" in response.context["form"].errors
    assert not Event.objects.exists() and not ReferenceActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=served.pk).status == "scheduled"


def test_an_account_is_owned_only_by_someone_who_can_answer_for_it(
    manager_client, customer_account, account_owner, marketer
):
    role_less = factories.make_user("staff_without_role")
    form = manager_client.get(reverse("manage:account-edit", args=[customer_account.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(products=[], use_cases=[], competitors_displaced=[], stewards=[], name="Initech")
    url = reverse("manage:account-new")
    for user in (marketer, role_less):
        response = manager_client.post(url, {**data, "owner": user.pk})
        assert response.status_code == 400 and "owner" in response.context["form"].errors
        assert not Account.objects.filter(name="Initech").exists()
    response = manager_client.post(url, {**data, "owner": account_owner.pk})
    assert response.status_code == 302
    assert Account.objects.get(name="Initech").owner == account_owner


def test_editing_an_account_leaves_its_owner_to_the_change_owner_page(
    manager_client, customer_account, account_owner, other_rep
):
    url = reverse("manage:account-edit", args=[customer_account.pk])
    page = manager_client.get(url)
    assert "owner" not in page.context["form"].fields
    assert reverse("manage:account-owner", args=[customer_account.pk]) in page.content.decode()
    data = {name: value for name, value in page.context["form"].initial.items() if value is not None}
    data.update(products=[], use_cases=[], competitors_displaced=[], stewards=[], name="Globex Bank plc")

    response = manager_client.post(url, {**data, "owner": other_rep.pk})

    assert response.status_code == 302
    account = Account.objects.get(pk=customer_account.pk)
    assert (account.name, account.owner) == ("Globex Bank plc", account_owner)

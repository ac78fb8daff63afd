"""A requester cannot record an activity from the sales portal, with or without participants:
the request page takes only the requester's own actions (answer a question, close)."""

from datetime import date

import pytest
from django.urls import reverse

from core.roles import Role
from references.models import ReferenceActivity
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def test_the_request_page_does_not_record_an_activity_naming_other_customers(
    rep_client, ref_request, manager, customer_contact
):
    drive_to(ref_request, "scheduled", customer_contact, manager)
    owner = factories.make_user("stranger_owner", Role.SALES)
    stranger = factories.make_contact(factories.make_account(owner, name="Unrelated Holdings"))
    response = rep_client.post(
        reverse("sales:request-act", args=[ref_request.pk]),
        {
            "action": "record_activity",
            "occurred_on": date.today().isoformat(),
            "participants": [stranger.pk],
        },
    )
    assert response.status_code == 400
    assert not ReferenceActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"

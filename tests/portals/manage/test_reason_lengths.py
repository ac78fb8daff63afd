"""A reason field lets the user type exactly as much as its form accepts (core.text)."""

import re

import pytest
from django.urls import reverse

from core.text import REASON_MAX_LENGTH
from portals.manage.forms import AccountOwnerForm, RetireForm
from requests_app.models import ReferenceRequest
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def test_the_override_reason_field_takes_what_the_form_accepts(
    client, manager, ref_request, customer_contact
):
    reviewed = drive_to(ref_request, "in_review", customer_contact, manager)
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[reviewed.pk])).content.decode()
    [field] = re.findall(r'<input type="text" name="override_reason"[^>]*>', page)
    assert f'maxlength="{REASON_MAX_LENGTH}"' in field
    # A reason longer than the old 500-character field is taken (the contact needs no override).
    response = client.post(
        reverse("manage:request-act", args=[reviewed.pk]),
        {"action": "approve", "contact": customer_contact.pk, "override_reason": "x" * 1500},
    )
    assert response.status_code == 302
    assert ReferenceRequest.objects.get(pk=reviewed.pk).status == "awaiting_owner"


@pytest.mark.parametrize("form", [RetireForm, AccountOwnerForm])
def test_the_catalogue_reasons_take_the_house_length(form):
    assert form().fields["reason"].max_length == REASON_MAX_LENGTH

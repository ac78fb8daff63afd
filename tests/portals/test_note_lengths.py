"""A pasted 60,000-character note is refused with an error naming the limit, and nothing is
stored: in the portals' forms, the admin's model forms, the API and the models themselves."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from references.models import AccountNote, ReferenceActivity
from requests_app.models import ReferenceRequest
from tests.builders.requests import drive_to
from tests.portals.sales.test_requests import form_data

pytestmark = pytest.mark.django_db

PASTED = ("word " * 12_000)[:-1] + "!"  # 60,000 characters, pasted by mistake


def test_a_request_with_an_over_long_note_is_refused_and_not_stored(rep_client, deal, references):
    response = rep_client.post("/sales/requests/new/", form_data(deal, references["full"], notes=PASTED))

    assert response.status_code == 400
    assert "at most 4000 characters (it has 60000)" in str(response.context["form"].errors["notes"])
    assert not ReferenceRequest.objects.exists()


def test_recording_an_activity_with_an_over_long_note_is_refused(
    manager_client, ref_request, manager, customer_contact
):
    drive_to(ref_request, "scheduled", customer_contact, manager)
    url = reverse("manage:request-record", args=[ref_request.pk])

    response = manager_client.post(
        url, {"occurred_on": date.today().isoformat(), "participants": [customer_contact.pk], "note": PASTED}
    )

    assert response.status_code == 400
    assert "at most 4000 characters" in response.content.decode()
    assert not ReferenceActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"


def test_an_over_long_account_story_is_refused_naming_the_limit(
    manager_client, customer_account, account_owner
):
    url = reverse("manage:account-edit", args=[customer_account.pk])
    form = manager_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        owner=account_owner.pk,
        products=[],
        use_cases=[],
        competitors_displaced=[],
        stewards=[],
        reference_story=PASTED,
        industry=customer_account.industry_id,
        size_band=customer_account.size_band_id,
        country=customer_account.country_id,
    )

    response = manager_client.post(url, data)

    assert response.status_code != 302
    assert "Ensure this value has at most 4000 characters (it has 60000)." in response.content.decode()
    customer_account.refresh_from_db()
    assert len(customer_account.reference_story) < NOTE_MAX_LENGTH


def test_the_models_refuse_over_long_notes_and_reasons(customer_account, manager):
    note = AccountNote(account=customer_account, body=PASTED, author=manager)
    with pytest.raises(ValidationError) as refused:
        note.full_clean()
    assert refused.value.message_dict["body"] == [
        "Ensure this value has at most 4000 characters (it has 60000)."
    ]
    note.body = "x" * NOTE_MAX_LENGTH
    note.full_clean()  # exactly the limit is fine


def test_the_api_refuses_an_over_long_note(client, sales_rep, deal, references):
    client.force_login(sales_rep)
    payload = {
        "opportunity": deal.pk,
        "activity_type": "reference_call",
        "contacts": [references["full"].pk],
        "needed_by": (date.today() + timedelta(days=10)).isoformat(),
        "notes": PASTED,
    }

    response = client.post("/api/requests/", payload, content_type="application/json")

    assert response.status_code == 400 and "notes" in response.json()["error"]["fields"]
    assert not ReferenceRequest.objects.exists()


def test_a_limit_override_reason_has_the_same_limit_in_the_portal_and_the_api():
    from api.serializers.workflows import TransitionInputSerializer
    from portals.shared.transitions import TransitionForm

    assert TransitionForm.base_fields["override_reason"].max_length == REASON_MAX_LENGTH
    assert TransitionInputSerializer().fields["override_reason"].max_length == REASON_MAX_LENGTH

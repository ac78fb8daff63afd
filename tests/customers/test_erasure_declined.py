"""Review: a contact who declined an ask in the portal is no longer the request's chosen contact,
but their decline reason (and the request's texts) still name them: erasure must reach them."""

import pytest
from django.urls import reverse

from customers.erasure.services import contact_erase, erasure_ask
from requests_app.models import RequestCandidate, RequestEvent
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def test_erasure_replaces_the_first_name_in_the_reason_of_a_declined_ask(
    portal_client, ref_request, manager, customer_contact
):
    asked = drive_to(ref_request, "customer_asked", customer_contact, manager)
    # The manager chose them among the alternatives: they are not one of the request's candidates.
    RequestCandidate.objects.filter(request=asked, contact=customer_contact).delete()
    response = portal_client(customer_contact).post(
        reverse("customer:ask-decline", args=[asked.pk]), {"reason": "Grace is on leave until May."}
    )
    assert response.status_code == 302
    event = RequestEvent.objects.get(request=asked, action="decline_ask")
    assert "Grace" in event.note
    erasure = erasure_ask(contact=customer_contact)
    contact_erase(erasure_id=erasure.pk, actor=manager)
    event.refresh_from_db()
    assert "Grace" not in event.note

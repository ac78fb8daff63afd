"""Workflow actions posted from any page: one form parses them; malformed input gets a clear 400
naming what is wrong, and the request does not move."""

import pytest
from django.urls import reverse

from requests_app.models import ReferenceRequest, RequestStatus
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db


def _act(client, request_id, **data):
    return client.post(reverse("manage:request-act", args=[request_id]), data)


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"action": "fly_away"}, "That action is not available here."),
        ({"action": "approve", "contact": "abc"}, "Choose a contact."),
        ({"action": "approve", "contact": "-3"}, "Choose a contact."),
        ({"action": "approve", "contact": "99999999999"}, "Choose a contact."),
        ({"action": "claim", "expected_status": "flying"}, "Select a valid choice."),
        ({"action": "ask_info", "note": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_a_malformed_action_is_refused_with_a_clear_message(manager_client, ref_request, post, message):
    response = _act(manager_client, ref_request.pk, **post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == RequestStatus.SUBMITTED


def test_a_time_that_is_not_a_time_is_refused(manager_client, ref_request, manager, customer_contact):
    drive_to(ref_request, RequestStatus.CUSTOMER_ASKED, customer_contact, manager)
    response = _act(manager_client, ref_request.pk, action="schedule", scheduled_for="next tuesday-ish")
    assert response.status_code == 400
    assert "Give the date and time it is scheduled for." in response.content.decode()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == RequestStatus.CUSTOMER_ASKED


def test_a_well_formed_action_moves_the_request(manager_client, ref_request, customer_contact):
    response = _act(manager_client, ref_request.pk, action="claim", expected_status=RequestStatus.SUBMITTED)
    assert response.status_code == 302
    response = _act(
        manager_client, ref_request.pk, action="approve", contact=str(customer_contact.pk), note="Good fit"
    )
    assert response.status_code == 302
    moved = ReferenceRequest.objects.get(pk=ref_request.pk)
    assert (moved.status, moved.chosen_contact_id) == (RequestStatus.AWAITING_OWNER, customer_contact.pk)


def test_an_action_the_page_does_not_offer_is_refused_even_if_the_table_allows_it(
    client, sales_rep, ref_request
):
    """The requester's request page offers "provide info" and "close" only: a cancel posted there
    is refused (cancelling has its own form with a reason)."""
    client.force_login(sales_rep)
    response = client.post(
        reverse("sales:request-act", args=[ref_request.pk]), {"action": "cancel", "note": "x"}
    )
    assert response.status_code == 400
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == RequestStatus.SUBMITTED

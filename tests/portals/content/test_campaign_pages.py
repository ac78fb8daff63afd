"""Marketing's campaign pages: list, new (from a simple search), detail with actions; the
manager's inbox shows a campaign request with its campaign; query counts do not grow."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from references.taxonomy_data import CAMPAIGN_ACTIVITY_TYPES
from requests_app.models import ReferenceRequest, RequestStatus
from tests.builders import catalogue
from tests.builders.requests import make_campaign_request


@pytest.fixture
def press_contact(customer_account):
    return catalogue.make_contact(
        customer_account, first_name="Pia", last_name="Press", activity_types=CAMPAIGN_ACTIVITY_TYPES
    )


@pytest.fixture
def mark_client(client, marketer):
    client.force_login(marketer)
    return client


def test_marketing_finds_a_reference_and_submits_a_campaign_request(mark_client, press_contact):
    url = reverse("content:campaign-new") + "?q=Press"
    page = mark_client.get(url)
    assert "Pia Press" in page.content.decode()
    response = mark_client.post(
        url,
        {
            "campaign": "Spring analyst day",
            "activity_type": catalogue.activity_type("analyst_briefing").pk,
            "needed_by": (date.today() + timedelta(days=10)).isoformat(),
            "first_choice": press_contact.pk,
        },
    )
    created = ReferenceRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("content:campaign", args=[created.pk])
    assert created.campaign == "Spring analyst day" and created.opportunity_id is None
    detail = mark_client.get(response.url).content.decode()
    assert "Spring analyst day" in detail and "Pia Press" in detail


def test_a_campaign_request_without_a_name_is_a_form_error(mark_client, press_contact):
    response = mark_client.post(
        reverse("content:campaign-new") + "?q=Press",
        {
            "activity_type": catalogue.activity_type("analyst_briefing").pk,
            "needed_by": (date.today() + timedelta(days=10)).isoformat(),
            "first_choice": press_contact.pk,
        },
    )
    assert response.status_code == 400
    assert not ReferenceRequest.objects.exists()


def test_the_requester_cancels_from_the_campaign_page(mark_client, marketer, press_contact):
    request = make_campaign_request(marketer, press_contact)
    response = mark_client.post(
        reverse("content:campaign-cancel", args=[request.pk]), {"reason": "Event moved."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


def test_the_inbox_shows_the_campaign_instead_of_a_deal(client, manager, marketer, press_contact):
    make_campaign_request(marketer, press_contact, campaign="Gartner briefing")
    client.force_login(manager)
    assert "Gartner briefing" in client.get(reverse("manage:home")).content.decode()
    request = ReferenceRequest.objects.get()
    assert "Gartner briefing" in client.get(reverse("manage:request", args=[request.pk])).content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_campaign_list_queries_do_not_grow(
    mark_client, marketer, customer_account, size, django_assert_max_num_queries
):
    for n in range(size):
        contact = catalogue.make_contact(customer_account, activity_types=CAMPAIGN_ACTIVITY_TYPES)
        make_campaign_request(marketer, contact, campaign=f"Campaign {n}")
    # session, user, groups, nav counts (tasks, notifications), page count, rows, candidates
    with django_assert_max_num_queries(10):
        response = mark_client.get(reverse("content:campaigns"))
    assert response.content.decode().count("Campaign ") >= size

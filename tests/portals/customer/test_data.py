"""My data: the page, the download and asking to be erased, each only the signed-in contact's."""

import json

import pytest
from django.urls import reverse

from customers.models import ErasureRequest
from tests.builders import catalogue
from tests.builders.requests import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(customer_contact):
    return customer_contact


def test_the_page_shows_what_is_held_and_the_download_button(portal_client, grace):
    response = portal_client(grace).get(reverse("customer:data"))
    assert response.status_code == 200
    text = response.content.decode()
    assert grace.email in text and "Globex Bank" in text
    assert reverse("customer:data-download") in text
    assert "no-store" in response["Cache-Control"]


def test_the_download_is_a_json_attachment_never_cached_without_the_prospect(portal_client, grace, sales_rep):
    request = make_request(sales_rep, grace)
    response = portal_client(grace).get(reverse("customer:data-download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["contact"]["email"] == grace.email
    assert [r["id"] for r in document["requests"]] == [request.pk]
    assert request.opportunity.prospect_name not in response.content.decode()
    assert "notes" not in document["requests"][0]


def test_the_download_holds_only_the_signed_in_contacts_data(portal_client, grace, customer_account):
    other = catalogue.make_contact(customer_account, first_name="Otto", email="otto@customer.test")
    document = json.loads(portal_client(grace).get(reverse("customer:data-download")).content)
    assert "otto@customer.test" not in json.dumps(document)
    assert document["contact"]["id"] == grace.pk != other.pk


def test_asking_to_be_erased_needs_the_confirmation(portal_client, grace):
    response = portal_client(grace).post(reverse("customer:erase"), {})
    assert response.status_code == 400
    assert not ErasureRequest.objects.exists()


def test_asking_twice_makes_one_request_shown_with_its_due_date(portal_client, grace):
    client = portal_client(grace)
    for _ in range(2):
        response = client.post(reverse("customer:erase"), {"confirm": "on"})
        assert response.status_code == 302 and response["Location"] == reverse("customer:data")
    erasure = ErasureRequest.objects.get()
    assert erasure.contact == grace
    text = client.get(reverse("customer:data")).content.decode()
    assert "will do it by" in text
    assert reverse("customer:erase") not in text


def test_a_contact_erases_only_themselves(portal_client, grace, customer_account):
    other = catalogue.make_contact(customer_account)
    portal_client(other).post(reverse("customer:erase"), {"confirm": "on"})
    assert list(ErasureRequest.objects.values_list("contact_id", flat=True)) == [other.pk]
    assert "will do it by" not in portal_client(grace).get(reverse("customer:data")).content.decode()


def test_a_staff_session_gets_no_data_page(client, manager):
    client.force_login(manager)
    assert client.get(reverse("customer:data-download")).status_code == 302
    assert client.post(reverse("customer:erase"), {"confirm": "on"}).status_code == 403


@pytest.mark.parametrize("rows", [1, 12])
def test_the_page_and_download_cost_the_same_queries_with_few_and_many_rows(
    portal_client, grace, sales_rep, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        make_request(sales_rep, grace)
        catalogue.make_activity(grace, occurred_on=catalogue.date(2025, 1, 1))
    client = portal_client(grace)
    # The portal session, then per part of the document: preferences (and their activity types),
    # blackouts, status changes, requests, activities, feedback, consents, give-back,
    # notifications, nominations, erasure requests, portal sessions; the page adds the latest
    # erasure request.
    with django_assert_max_num_queries(15):
        client.get(reverse("customer:data"))
    with django_assert_max_num_queries(14):
        client.get(reverse("customer:data-download"))

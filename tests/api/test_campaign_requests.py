"""Campaign requests through the API: marketing names a campaign instead of a deal."""

from datetime import date, timedelta

import pytest

from references.taxonomy_data import CAMPAIGN_ACTIVITY_TYPES
from tests.builders import catalogue


@pytest.fixture
def press_contact(customer_account):
    return catalogue.make_contact(customer_account, activity_types=CAMPAIGN_ACTIVITY_TYPES)


def _post(client, **payload):
    body = {
        "activity_type": "analyst_briefing",
        "needed_by": (date.today() + timedelta(days=9)).isoformat(),
        **payload,
    }
    return client.post("/api/requests/", body, content_type="application/json")


def test_marketing_submits_a_campaign_request(client, marketer, press_contact):
    client.force_login(marketer)
    response = _post(client, campaign="Analyst day", contacts=[press_contact.pk])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["campaign"] == "Analyst day"
    assert body["opportunity"] is None
    assert [r["id"] for r in client.get("/api/requests/").json()["results"]] == [body["id"]]


def test_neither_deal_nor_campaign_is_a_400_naming_the_field(client, marketer, press_contact):
    client.force_login(marketer)
    response = _post(client, contacts=[press_contact.pk])
    assert response.status_code == 400
    assert "opportunity" in response.json()["error"]["fields"]


def test_both_deal_and_campaign_is_a_400_naming_the_field(client, marketer, press_contact, deal):
    client.force_login(marketer)
    response = _post(client, campaign="Analyst day", opportunity=deal.pk, contacts=[press_contact.pk])
    assert response.status_code == 400
    assert "campaign" in response.json()["error"]["fields"]


def test_a_sales_rep_cannot_submit_a_campaign_request(rep_client, press_contact):
    response = _post(rep_client, campaign="My own tour", contacts=[press_contact.pk])
    assert response.status_code == 400
    assert "campaign" in response.json()["error"]["fields"]


def test_the_schema_documents_the_campaign_field(client, marketer):
    client.force_login(marketer)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "campaign" in schema["components"]["schemas"]["RequestSubmit"]["properties"]

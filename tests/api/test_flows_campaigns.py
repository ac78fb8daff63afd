"""Campaigns through the API: marketing's own campaign requests grouped by campaign with their
counts (the program: every one), and a campaign's requests by `/api/requests/?campaign=`."""

import pytest
from django.urls import reverse

from references.taxonomy_data import CAMPAIGN_ACTIVITY_TYPES
from tests.builders import catalogue
from tests.builders.requests import make_campaign_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def press_contact(customer_account):
    return catalogue.make_contact(customer_account, activity_types=CAMPAIGN_ACTIVITY_TYPES)


@pytest.fixture
def other_marketer(db):
    from core.roles import Role

    return catalogue.make_user("mara", Role.MARKETING, first_name="Mara")


@pytest.fixture
def campaigns(marketer, other_marketer, press_contact, customer_account):
    second = catalogue.make_contact(customer_account, activity_types=CAMPAIGN_ACTIVITY_TYPES)
    return {
        "tour": [
            make_campaign_request(marketer, person, campaign="Spring tour")
            for person in (press_contact, second)
        ],
        "day": [make_campaign_request(marketer, press_contact, campaign="Analyst day")],
        "theirs": [make_campaign_request(other_marketer, press_contact, campaign="Zephyr launch")],
    }


def test_marketing_lists_their_campaigns_with_counts(client, marketer, campaigns):
    client.force_login(marketer)

    response = client.get(reverse("api-campaigns"))

    rows = response.json()["results"]
    assert [(r["campaign"], r["total"], r["open"]) for r in rows] == [
        ("Analyst day", 1, 1),
        ("Spring tour", 2, 2),
    ]
    assert "Zephyr" not in response.content.decode()
    requests = client.get(rows[1]["requests_url"]).json()["results"]
    assert sorted(r["id"] for r in requests) == sorted(r.pk for r in campaigns["tour"])


def test_a_manager_lists_every_campaign(client, manager, campaigns):
    client.force_login(manager)
    rows = client.get(reverse("api-campaigns")).json()["results"]
    assert [r["campaign"] for r in rows] == ["Analyst day", "Spring tour", "Zephyr launch"]


def test_campaigns_page_by_name(client, manager, campaigns):
    client.force_login(manager)
    first = client.get(reverse("api-campaigns"), {"limit": 2}).json()
    second = client.get(first["next"]).json()
    assert [r["campaign"] for r in first["results"] + second["results"]] == [
        "Analyst day",
        "Spring tour",
        "Zephyr launch",
    ]


def test_sales_has_no_campaigns(rep_client):
    assert rep_client.get(reverse("api-campaigns")).status_code == 403


def test_the_requests_filter_by_campaign_within_what_the_user_sees(client, marketer, campaigns):
    client.force_login(marketer)

    mine = client.get(reverse("api-requests"), {"campaign": "spring tour"}).json()["results"]
    theirs = client.get(reverse("api-requests"), {"campaign": "Zephyr launch"}).json()["results"]

    assert sorted(r["id"] for r in mine) == sorted(r.pk for r in campaigns["tour"])
    assert theirs == []


def test_a_campaign_filter_past_its_length_is_a_400(client, marketer):
    client.force_login(marketer)
    response = client.get(reverse("api-requests"), {"campaign": "x" * 500})
    assert response.status_code == 400
    assert "campaign" in response.json()["error"]["fields"]


@pytest.mark.parametrize("size", [2, 15])
def test_the_campaign_list_costs_the_same_for_any_size(
    client, marketer, press_contact, size, django_assert_max_num_queries
):
    for n in range(size):
        make_campaign_request(marketer, press_contact, campaign=f"Campaign {n:02}")
    client.force_login(marketer)
    # Session, user, groups (role check), one grouped page.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api-campaigns"))
    assert len(response.json()["results"]) == size

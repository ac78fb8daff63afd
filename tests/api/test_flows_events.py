"""Planned events through the API, as their pages show them to each role: marketing and the
program every event and sign-up; a rep the upcoming events with only the sign-ups they made; a
rep signs an open deal of theirs up through the page's service."""

import pytest
from django.urls import reverse

from tests.builders import catalogue
from tests.builders.requests import make_planned_event
from workflows.models import EventSignup
from workflows.planned_events import event_signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker(customer_account):
    return catalogue.make_contact(customer_account, first_name="Sam", last_name="Speaker")


@pytest.fixture
def upcoming(marketer, speaker):
    return make_planned_event(marketer, speaker, title="Fraud round table", capacity=2)


@pytest.fixture
def others_deal(other_rep):
    return catalogue.make_opportunity(other_rep, prospect_name="Zephyr Freight")


def _signup(client, event, deal_id):
    url = reverse("api-event-signups", args=[event.pk])
    return client.post(url, {"opportunity": deal_id}, content_type="application/json")


def test_a_rep_signs_a_deal_up_and_reads_only_their_own_sign_ups(
    rep_client, upcoming, deal, other_rep, others_deal
):
    event_signup(planned_event_id=upcoming.pk, opportunity=others_deal, actor=other_rep)

    response = _signup(rep_client, upcoming, deal.pk)
    listed = rep_client.get(reverse("api-events")).json()["results"]

    assert response.status_code == 201, response.json()
    assert response.json()["prospect_name"] == "Prospect Bank"
    assert [e["id"] for e in listed] == [upcoming.pk]
    event = listed[0]
    assert event["signup_count"] == 2 and event["seats_left"] == 0
    assert [s["prospect_name"] for s in event["signups"]] == ["Prospect Bank"]
    assert "Zephyr Freight" not in rep_client.get(reverse("api-event", args=[upcoming.pk])).content.decode()
    assert {"email", "phone"}.isdisjoint(event["speakers"][0])


def test_marketing_reads_every_sign_up(client, marketer, upcoming, deal, sales_rep, other_rep, others_deal):
    event_signup(planned_event_id=upcoming.pk, opportunity=deal, actor=sales_rep)
    event_signup(planned_event_id=upcoming.pk, opportunity=others_deal, actor=other_rep)
    client.force_login(marketer)

    body = client.get(reverse("api-event", args=[upcoming.pk])).json()

    assert {s["prospect_name"] for s in body["signups"]} == {"Prospect Bank", "Zephyr Freight"}
    assert body["speakers"][0]["name"] == "Sam Speaker"


def test_a_rep_cannot_sign_up_another_reps_deal(rep_client, upcoming, others_deal):
    response = _signup(rep_client, upcoming, others_deal.pk)

    assert response.status_code == 400
    assert "opportunity" in response.json()["error"]["fields"]
    assert not EventSignup.objects.exists()


def test_a_full_event_is_a_conflict(rep_client, upcoming, sales_rep, deal, other_rep, others_deal):
    event_signup(planned_event_id=upcoming.pk, opportunity=others_deal, actor=other_rep)
    event_signup(
        planned_event_id=upcoming.pk, opportunity=catalogue.make_opportunity(other_rep), actor=other_rep
    )

    response = _signup(rep_client, upcoming, deal.pk)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_signing_up_twice_is_a_400(rep_client, upcoming, deal):
    assert _signup(rep_client, upcoming, deal.pk).status_code == 201

    again = _signup(rep_client, upcoming, deal.pk)

    assert again.status_code == 400
    assert "opportunity" in again.json()["error"]["fields"]


def test_a_rep_does_not_see_past_events(rep_client, client, marketer, customer_account, upcoming):
    held = make_planned_event(marketer, catalogue.make_contact(customer_account), days=-2, title="Held")

    assert rep_client.get(reverse("api-event", args=[held.pk])).status_code == 404
    assert _signup(rep_client, held, 1).status_code == 404
    client.force_login(marketer)
    past = client.get(reverse("api-events"), {"upcoming": "false"}).json()["results"]
    assert [e["id"] for e in past] == [held.pk]


def test_events_filter_by_activity_type_and_dates(client, marketer, customer_account, upcoming):
    other_speaker = catalogue.make_contact(customer_account)
    webinar = make_planned_event(marketer, other_speaker, days=60, code="webinar", title="Webinar")
    client.force_login(marketer)
    day = webinar.starts_at.date().isoformat()

    by_type = client.get(reverse("api-events"), {"activity_type": "webinar"}).json()["results"]
    by_date = client.get(reverse("api-events"), {"starts_after": day}).json()["results"]
    before = client.get(reverse("api-events"), {"starts_before": day, "ordering": "-starts_at"}).json()[
        "results"
    ]

    assert [e["id"] for e in by_type] == [webinar.pk]
    assert [e["id"] for e in by_date] == [webinar.pk]
    assert [e["id"] for e in before] == [webinar.pk, upcoming.pk]


@pytest.mark.parametrize("params", [{"activity_type": "picnic"}, {"starts_after": "9999-01-01"}])
def test_events_refuse_a_bad_filter(client, marketer, params):
    client.force_login(marketer)
    response = client.get(reverse("api-events"), params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_signing_up_cannot_set_who_signed_up_or_attendance(rep_client, upcoming, deal, other_rep):
    url = reverse("api-event-signups", args=[upcoming.pk])
    body = {"opportunity": deal.pk, "signed_up_by": other_rep.pk, "attended": True, "id": 999}

    response = rep_client.post(url, body, content_type="application/json")

    signup = EventSignup.objects.get()
    assert response.status_code == 201
    assert signup.signed_up_by_id != other_rep.pk and signup.attended is None and signup.pk != 999


def test_marketing_cannot_sign_deals_up(client, marketer, upcoming, deal):
    client.force_login(marketer)
    assert _signup(client, upcoming, deal.pk).status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_the_event_list_costs_the_same_for_any_size(
    client, marketer, customer_account, other_rep, size, django_assert_max_num_queries
):
    for n in range(size):
        speaker = catalogue.make_contact(customer_account)
        event = make_planned_event(marketer, speaker, days=1 + n, title=f"Call {n}", capacity=3)
        event_signup(
            planned_event_id=event.pk, opportunity=catalogue.make_opportunity(other_rep), actor=other_rep
        )
    client.force_login(marketer)
    # Session, user, groups (role check), a page of events with their counts, speakers, sign-ups.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api-events"))
    assert len(response.json()["results"]) == size


def test_a_machine_with_a_read_key_reads_events_but_cannot_sign_up(client, sales_rep, upcoming, deal):
    from integrations.keys import api_key_create

    _key, raw = api_key_create(user=sales_rep, name="CRM", scopes=["read"])
    headers = {"Authorization": f"Api-Key {raw}"}

    listed = client.get(reverse("api-events"), headers=headers)
    refused = client.post(
        reverse("api-event-signups", args=[upcoming.pk]),
        {"opportunity": deal.pk},
        content_type="application/json",
        headers=headers,
    )

    assert [e["id"] for e in listed.json()["results"]] == [upcoming.pk]
    assert refused.status_code == 403
    assert not EventSignup.objects.exists()

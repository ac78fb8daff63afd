"""Sanity checks on the dates people type: refused where they cannot be right (with the reason on
the field, nothing stored), a warning to confirm where they are plausible but unusual."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from references.models import ReferenceActivity
from requests_app.models import ReferenceRequest, RequestStatus
from tests.builders.requests import drive_to, make_request
from tests.portals.sales.test_requests import form_data


@pytest.mark.django_db
def test_a_needed_by_date_more_than_a_year_ahead_is_refused(rep_client, deal, references):
    far = date.today() + timedelta(days=400)

    response = rep_client.post(
        "/sales/requests/new/", form_data(deal, references["full"], needed_by=far.isoformat())
    )

    assert response.status_code == 400
    assert response.context["form"].errors["needed_by"] == ["Needed by must be within a year from today."]
    assert not ReferenceRequest.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_a_needed_by_date_more_than_a_year_ahead_too(client, sales_rep, deal, references):
    client.force_login(sales_rep)
    body = {
        "opportunity": deal.pk,
        "activity_type": "reference_call",
        "contacts": [references["full"].pk],
        "needed_by": (date.today() + timedelta(days=400)).isoformat(),
    }
    response = client.post("/api/requests/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "within a year" in response.content.decode()
    assert not ReferenceRequest.objects.exists()


def _record(client, request, occurred_on: date):
    url = reverse("manage:request-record", args=[request.pk])
    return client.post(
        url, {"occurred_on": occurred_on.isoformat(), "participants": [request.chosen_contact_id]}
    )


def _held(request, *, asked_days_ago: int, scheduled_days_ago: int) -> None:
    """Backdate a scheduled request: asked for and scheduled in the past."""
    now = timezone.now()
    ReferenceRequest.objects.filter(pk=request.pk).update(
        created_at=now - timedelta(days=asked_days_ago),
        scheduled_for=now - timedelta(days=scheduled_days_ago),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_ago", "reason"),
    [
        (-1, "once it has happened"),  # tomorrow
        (12, "The request was made on"),  # before the request existed
        (6, "It was scheduled for"),  # after the request, before its scheduled time
        (7000, "The request was made on"),  # 1999-ish: a typo
    ],
)
def test_an_activity_held_when_it_cannot_have_been_is_refused(
    manager_client, manager, sales_rep, customer_contact, days_ago, reason
):
    request = drive_to(make_request(sales_rep, customer_contact), "scheduled", customer_contact, manager)
    _held(request, asked_days_ago=10, scheduled_days_ago=3)

    response = _record(manager_client, request, timezone.localdate() - timedelta(days=days_ago))

    assert response.status_code == 400
    assert reason in response.content.decode()
    # Said once, on the date it is about, not also in a banner above the form.
    assert response.content.decode().count(reason) == 1
    assert any(reason in message for message in response.context["form"].errors["occurred_on"])
    assert ReferenceRequest.objects.get(pk=request.pk).status == RequestStatus.SCHEDULED
    assert not ReferenceActivity.objects.exists()


@pytest.mark.django_db
def test_an_activity_held_on_or_after_its_scheduled_day_is_recorded(
    manager_client, manager, sales_rep, customer_contact
):
    request = drive_to(make_request(sales_rep, customer_contact), "scheduled", customer_contact, manager)
    _held(request, asked_days_ago=10, scheduled_days_ago=3)

    response = _record(manager_client, request, timezone.localdate() - timedelta(days=2))

    assert response.status_code == 302
    assert ReferenceRequest.objects.get(pk=request.pk).status == RequestStatus.COMPLETED


def _schedule(client, request, when, **extra):
    data = {"action": "schedule", "expected_status": request.status, "scheduled_for": when, **extra}
    return client.post(reverse("manage:request-act", args=[request.pk]), data)


@pytest.mark.django_db
@pytest.mark.parametrize("late", ["needed_by", "close_date"])
def test_a_call_after_the_needed_by_date_or_the_deals_close_asks_to_confirm(
    manager_client, manager, sales_rep, customer_contact, late
):
    request = drive_to(
        make_request(sales_rep, customer_contact, needed_by=date.today() + timedelta(days=20)),
        "customer_asked",
        customer_contact,
        manager,
    )
    when = timezone.localdate() + timedelta(days=12)
    if late == "needed_by":
        ReferenceRequest.objects.filter(pk=request.pk).update(needed_by=when - timedelta(days=1))
    else:
        request.opportunity.close_date = when - timedelta(days=1)
        request.opportunity.save(update_fields=["close_date"])
    typed = f"{when.isoformat()}T10:00"

    warned = _schedule(manager_client, request, typed)

    assert warned.status_code == 400
    page = warned.content.decode()
    assert "needed-by date" in page if late == "needed_by" else "deal&#x27;s close date" in page
    assert "Schedule anyway" in page and 'name="schedule_anyway"' in page
    assert f'value="{typed}"' in page  # the button sends the time as typed
    assert ReferenceRequest.objects.get(pk=request.pk).status == RequestStatus.CUSTOMER_ASKED

    confirmed = _schedule(manager_client, request, typed, schedule_anyway="on")

    assert confirmed.status_code == 302
    stored = ReferenceRequest.objects.get(pk=request.pk)
    assert stored.status == RequestStatus.SCHEDULED
    assert timezone.localdate(stored.scheduled_for) == when


@pytest.mark.django_db
def test_a_call_before_the_needed_by_date_needs_no_confirmation(
    manager_client, manager, sales_rep, customer_contact
):
    request = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    when = f"{(timezone.localdate() + timedelta(days=5)).isoformat()}T10:00"
    assert _schedule(manager_client, request, when).status_code == 302
    assert ReferenceRequest.objects.get(pk=request.pk).status == RequestStatus.SCHEDULED

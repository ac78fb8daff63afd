"""The manager schedules a time the customer offered in one click: the button's own form, as the
page writes it (in the manager's zone), schedules exactly that time; a time after the needed-by
date says so beside its button and is still scheduled by that one click."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.models import OfferedSlot
from tests.builders import catalogue
from tests.builders.requests import drive_to, offered_slots
from workflows.models import StaffCalendar
from workflows.services import request_transition

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form method="post" action="[^"]*/act/"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def slot_forms(page: str) -> list[dict]:
    """The hidden fields of each offered time's form (the ones that post action=schedule with a time)."""
    forms = [dict(HIDDEN.findall(body)) for body in FORM.findall(page)]
    return [f for f in forms if f.get("action") == "schedule" and f.get("scheduled_for")]


def accept(asked, contact, slots):
    request_transition(request_id=asked.pk, action="accept_ask", actor=None, customer=contact, slots=slots)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"])
def test_the_buttons_own_form_schedules_exactly_the_offered_time(
    client, asked, customer_contact, manager, zone
):
    StaffCalendar.objects.create(user=manager, country=catalogue.country(), time_zone=zone)
    accept(asked, customer_contact, offered_slots(3))
    client.force_login(manager)
    forms = slot_forms(client.get(reverse("manage:request", args=[asked.pk])).content.decode())
    assert len(forms) == 3
    second = OfferedSlot.objects.filter(request=asked).order_by("starts_at")[1]

    response = client.post(reverse("manage:request-act", args=[asked.pk]), forms[1])

    assert response.status_code == 302, response.content.decode()[:2000]
    asked.refresh_from_db()
    assert (asked.status, asked.scheduled_for) == ("scheduled", second.starts_at)


def test_a_time_after_the_needed_by_date_is_said_and_still_one_click(
    client, asked, customer_contact, manager
):
    late = offered_slots(2, days=(asked.needed_by - timezone.localdate()).days + 2)
    accept(asked, customer_contact, late)
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[asked.pk])).content.decode()
    assert page.count("after the needed-by date") == 2
    [first, _second] = slot_forms(page)

    response = client.post(reverse("manage:request-act", args=[asked.pk]), first)

    assert response.status_code == 302, response.content.decode()[:2000]
    asked.refresh_from_db()
    assert asked.status == "scheduled" and asked.scheduled_for == late[0][0]


def test_a_time_before_the_needed_by_date_carries_no_confirmation(client, asked, customer_contact, manager):
    accept(asked, customer_contact, offered_slots(2))
    client.force_login(manager)
    page = client.get(reverse("manage:request", args=[asked.pk])).content.decode()
    assert "after the needed-by date" not in page
    assert all("schedule_anyway" not in form for form in slot_forms(page))

"""Review: times offered in the contact's zone around a clock change (the accept form)."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from references.models import Contact
from requests_app.models import OfferedSlot
from tests.builders.requests import drive_to

pytestmark = pytest.mark.django_db
ZONE = "America/New_York"


def _next_gap_day():
    """The next day whose 02:30 does not exist in ZONE (spring forward)."""
    zone = zoneinfo.ZoneInfo(ZONE)
    day = timezone.localdate() + timedelta(days=2)
    for _ in range(366):
        naive = datetime.combine(day, time(2, 30))
        back = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if back != naive:
            return day
        day += timedelta(days=1)
    raise AssertionError("no clock change within a year")


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    Contact.objects.filter(pk=customer_contact.pk).update(time_zone=ZONE)
    customer_contact.refresh_from_db()
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


@pytest.mark.parametrize("minutes", ["30", "60"])
def test_a_time_in_the_clock_change_gap_is_a_form_error_not_a_server_error(
    portal_client, asked, customer_contact, minutes
):
    day = _next_gap_day()
    client = portal_client(customer_contact)
    client.raise_request_exception = False
    data = {
        "date_1": day.isoformat(), "time_1": "02:30", "length_1": minutes,
        "date_2": (day + timedelta(days=1)).isoformat(), "time_2": "10:00", "length_2": "60",
    }  # fmt: skip
    response = client.post(reverse("customer:ask-accept", args=[asked.pk]), data)
    assert response.status_code == 400
    assert not OfferedSlot.objects.filter(request=asked).exists()


def _next_fold_day():
    """The next day whose 01:30 happens twice in ZONE (fall back)."""
    zone = zoneinfo.ZoneInfo(ZONE)
    day = timezone.localdate() + timedelta(days=2)
    for _ in range(366):
        first = datetime.combine(day, time(1, 30), tzinfo=zone)
        if first.utcoffset() != first.replace(fold=1).utcoffset():
            return day
        day += timedelta(days=1)
    raise AssertionError("no clock change within a year")


def test_a_slot_lasts_its_length_in_real_time_across_the_clock_change(asked, customer_contact):
    from workflows.asks import clean_slots

    zone = zoneinfo.ZoneInfo(ZONE)
    day = _next_fold_day()
    start = datetime.combine(day, time(1, 30), tzinfo=zone)  # 01:30 summer time, then 60 minutes
    now = timezone.now()
    slots = clean_slots([(start, 60), (start + timedelta(days=1), 60)], now=now)
    assert slots[0].ends_at - slots[0].starts_at == timedelta(minutes=60)
    assert (slots[0].ends_at.astimezone(UTC) - slots[0].starts_at.astimezone(UTC)) == timedelta(minutes=60)

"""Dates as people read them: one format ("20 Dec 2026", "20 Dec 2026, 17:00") in each staff
user's own time zone, on pages and in notifications, and a zone each user can choose."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.emails import build_email, recipient_zone
from notifications.models import Notification
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request
from workflows.models import StaffCalendar

# What Django's default English formats write and RMS must not: "Dec. 20, 2026", "10 a.m.", "5 p.m.".
OLD_FORMATS = re.compile(
    r"\b(a\.m\.|p\.m\.|noon|midnight)|\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\. \d"
    r"|\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}"
)


def _works_in(user, zone: str) -> None:
    StaffCalendar.objects.update_or_create(
        user=user, defaults={"country": catalogue.country(), "time_zone": zone}
    )


def _scheduled_at_four_pm(request, contact, manager) -> datetime:
    """Drive `request` to scheduled, at 16:00 UTC ten days from now (a time that differs by zone)."""
    moment = (
        (timezone.now() + timedelta(days=10))
        .astimezone(UTC)
        .replace(hour=16, minute=0, second=0, microsecond=0)
    )
    drive_to(request, "customer_asked", contact, manager)
    from workflows.services import request_transition

    request_transition(request_id=request.pk, action="schedule", actor=manager, scheduled_for=moment)
    return moment


def _expected(moment: datetime, zone: str) -> str:
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local.day} {local:%b %Y}, {local:%H:%M} {local.tzname()}"


@pytest.mark.django_db
def test_a_request_page_shows_one_format_in_each_managers_zone(
    client, manager, second_manager, sales_rep, customer_contact
):
    _works_in(second_manager, "Europe/Berlin")
    request = make_request(sales_rep, customer_contact)
    moment = _scheduled_at_four_pm(request, customer_contact, manager)
    needed = request.needed_by

    pages = {}
    for user in (manager, second_manager):
        client.force_login(user)
        pages[user] = client.get(reverse("manage:request", args=[request.pk])).content.decode()

    day = f"{needed.day} {needed:%b %Y}"
    assert day in pages[manager] and day in pages[second_manager]
    assert _expected(moment, "UTC") in pages[manager]
    assert _expected(moment, "Europe/Berlin") in pages[second_manager]
    assert "Times are shown in Europe/Berlin" in pages[second_manager]
    assert "Times are shown in UTC" in pages[manager]


@pytest.mark.django_db
def test_main_pages_show_no_old_date_formats(client, manager, sales_rep, account_owner, customer_contact):
    request = make_request(sales_rep, customer_contact)
    _scheduled_at_four_pm(request, customer_contact, manager)
    pages = {
        sales_rep: ["sales:home", "sales:requests", "notifications:list", "tasks:list"],
        manager: ["manage:home", "notifications:list", "tasks:list"],
        account_owner: ["sales:approvals", "notifications:list"],
    }
    detail = {sales_rep: "sales:request", manager: "manage:request"}
    for user, names in pages.items():
        client.force_login(user)
        urls = [reverse(name) for name in names]
        if user in detail:
            urls.append(reverse(detail[user], args=[request.pk]))
        for url in urls:
            page = client.get(url).content.decode()
            found = OLD_FORMATS.search(page)
            assert found is None, f"{url} as {user}: {page[max(0, found.start() - 60) : found.end() + 20]!r}"


@pytest.mark.django_db
def test_a_notification_tells_the_time_in_the_readers_zone(manager, sales_rep, customer_contact):
    _works_in(sales_rep, "America/New_York")
    customer_contact.time_zone = "Asia/Tokyo"
    customer_contact.save(update_fields=["time_zone"])
    request = make_request(sales_rep, customer_contact)
    moment = _scheduled_at_four_pm(request, customer_contact, manager)

    to_rep = Notification.objects.filter(user=sales_rep, kind="request_scheduled").first()
    to_contact = Notification.objects.filter(contact=customer_contact, kind="request_scheduled").first()
    assert _expected(moment, "America/New_York") in to_rep.title
    assert _expected(moment, "Asia/Tokyo") in to_contact.title
    # Their emails are written in the same zones (any time a template writes included).
    assert recipient_zone(to_rep) == zoneinfo.ZoneInfo("America/New_York")
    assert recipient_zone(to_contact) == zoneinfo.ZoneInfo("Asia/Tokyo")
    assert _expected(moment, "America/New_York") in build_email(to_rep, "rep@example.com").body


@pytest.mark.django_db
def test_a_staff_user_chooses_the_zone_times_are_shown_in(client, manager):
    catalogue.country("US")  # the program's default country, for a user with no calendar yet
    client.force_login(manager)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="time_zone"' in page and "Times are shown in UTC" in page

    response = client.post(reverse("tasks:time-zone"), {"time_zone": "Asia/Tokyo"}, follow=True)

    assert StaffCalendar.objects.get(user=manager).time_zone == "Asia/Tokyo"
    assert "Times are shown in Asia/Tokyo (JST)" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_zone_is_refused_and_nothing_is_stored(client, manager):
    client.force_login(manager)
    response = client.post(reverse("tasks:time-zone"), {"time_zone": "Mars/Olympus"}, follow=True)
    assert "Choose a time zone from the list." in response.content.decode()
    assert not StaffCalendar.objects.filter(user=manager).exists()

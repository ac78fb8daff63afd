"""Business-time arithmetic: weekends, public holidays of the assignee's country, hours 9–17."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.builders import catalogue as factories
from workflows.calendar import BusinessCalendar, calendar_for
from workflows.models import StaffCalendar

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
US = BusinessCalendar("US", "America/New_York")
DE = BusinessCalendar("DE", "Europe/Berlin")


def at(zone, *parts):
    return datetime(*parts, tzinfo=zone)


def test_friday_afternoon_with_one_business_day_is_due_monday_afternoon():
    assert US.add(at(NY, 2025, 6, 13, 14, 0), 1, "business_days") == at(NY, 2025, 6, 16, 14, 0)


def test_a_public_holiday_is_skipped():
    # Friday 4 July 2025 is Independence Day: Thursday afternoon + 1 day → Monday afternoon.
    assert US.add(at(NY, 2025, 7, 3, 14, 0), 1, "business_days") == at(NY, 2025, 7, 7, 14, 0)


def test_holidays_are_those_of_the_calendars_country():
    # 3 October 2025 (a Friday) is German Unity Day, an ordinary working day in the US.
    assert DE.add(at(BERLIN, 2025, 10, 2, 14, 0), 1, "business_days") == at(BERLIN, 2025, 10, 6, 14, 0)
    assert US.add(at(NY, 2025, 10, 2, 14, 0), 1, "business_days") == at(NY, 2025, 10, 3, 14, 0)


def test_business_hours_carry_over_the_weekend():
    assert US.add(at(NY, 2025, 6, 13, 16, 0), 2, "business_hours") == at(NY, 2025, 6, 16, 10, 0)


def test_work_arriving_at_the_weekend_starts_on_monday_morning():
    assert US.add(at(NY, 2025, 6, 14, 11, 0), 1, "business_days") == at(NY, 2025, 6, 16, 17, 0)
    assert US.add(at(NY, 2025, 6, 16, 7, 30), 3, "business_hours") == at(NY, 2025, 6, 16, 12, 0)


def test_work_arriving_after_hours_starts_the_next_business_morning():
    assert US.add(at(NY, 2025, 6, 16, 19, 0), 4, "business_hours") == at(NY, 2025, 6, 17, 13, 0)


def test_several_business_days_span_weekends_and_holidays():
    # Wednesday 24 Dec 2025 + 3 business days: 25 Dec holiday, weekend → Tuesday 30 Dec.
    assert US.add(at(NY, 2025, 12, 24, 10, 0), 3, "business_days") == at(NY, 2025, 12, 30, 10, 0)


def test_an_unknown_country_falls_back_to_weekends_only():
    calendar = BusinessCalendar("ZZ", "UTC")
    assert calendar.add(at(ZoneInfo("UTC"), 2025, 12, 25, 10, 0), 1, "business_days").day == 26


@pytest.mark.django_db
def test_a_staff_members_own_calendar_is_used(manager, settings):
    settings.WORKFLOW_DEFAULT_COUNTRY = "US"
    assert calendar_for(manager) == BusinessCalendar("US", settings.TIME_ZONE)
    StaffCalendar.objects.create(user=manager, country=factories.country("DE"), time_zone="Europe/Berlin")
    assert calendar_for(manager) == BusinessCalendar("DE", "Europe/Berlin")
    assert calendar_for(None) == BusinessCalendar("US", settings.TIME_ZONE)

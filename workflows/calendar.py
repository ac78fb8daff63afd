"""Business-time arithmetic for task due times.

A business day is a weekday that is not a public holiday of the calendar's country (from the
`holidays` package); business hours are 9:00–17:00 in the calendar's time zone. One business day
is eight business hours, so a task opened on Friday at 14:00 with one business day is due on
Monday at 14:00, and one opened on Saturday is due on Monday at 17:00.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django.conf import settings

from workflows.models import StaffCalendar

OPENS = time(9, 0)
CLOSES = time(17, 0)
HOURS_PER_DAY = 8


@lru_cache(maxsize=1)
def _supported_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


@lru_cache(maxsize=256)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    if country not in _supported_countries():
        # A country the package does not know: weekends only, rather than refusing to compute.
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=year).keys())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days and hours of one country and time zone."""

    country: str
    time_zone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.time_zone)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _public_holidays(self.country, day.year)

    def next_business_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    def next_open_moment(self, moment: datetime) -> datetime:
        """`moment` itself if it falls in business hours, else when business next opens."""
        local = moment.astimezone(self.zone)
        day = local.date()
        if self.is_business_day(day):
            if local.time() < OPENS:
                return self._at(day, OPENS)
            if local.time() < CLOSES:
                return local
        return self._at(self.next_business_day(day), OPENS)

    def add_business_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of business time after `start` (an aware datetime)."""
        cursor = self.next_open_moment(start)
        remaining = timedelta(minutes=minutes)
        while True:
            closes = self._at(cursor.date(), CLOSES)
            if remaining <= closes - cursor:
                return cursor + remaining
            remaining -= closes - cursor
            cursor = self._at(self.next_business_day(cursor.date()), OPENS)

    def add(self, start: datetime, amount: int, unit: str) -> datetime:
        """Add a service-level time: `unit` is "business_hours" or "business_days"."""
        hours = amount * HOURS_PER_DAY if unit == "business_days" else amount
        return self.add_business_minutes(start, hours * 60)


def default_calendar() -> BusinessCalendar:
    return BusinessCalendar(settings.WORKFLOW_DEFAULT_COUNTRY, settings.TIME_ZONE)


def calendar_for(user) -> BusinessCalendar:
    """The calendar of a staff user (their StaffCalendar), or the program default."""
    if user is None:
        return default_calendar()
    staff_calendar = StaffCalendar.objects.filter(user=user).select_related("country").first()
    if staff_calendar is None:
        return default_calendar()
    return BusinessCalendar(staff_calendar.country.code, staff_calendar.time_zone)

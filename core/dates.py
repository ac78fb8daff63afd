"""The dates RMS takes at all. Outside these years a date is a typing mistake or tampering:
refused on the field (core.forms, api.serializers.fields) and by the services that do date
arithmetic (business calendars, windows), where year 1 or 9999 would overflow. Product rules
(a needed-by date at most a year ahead…) are the services' and come on top."""

import zoneinfo
from datetime import date, datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
OUT_OF_RANGE = f"Give a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}."


def in_range(value: date | datetime) -> bool:
    """Whether a date (or the day of a date and time) lies between EARLIEST_DATE and LATEST_DATE."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def a_year_after(day: date) -> date:
    """The same day a year later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def validate_sane_date(value: date | datetime | None) -> None:
    """Refuse a date (or a date and time) outside the years RMS takes: on the model fields people
    type (so the admin and every service's full_clean refuse it) and on the form fields."""
    if value is not None and not in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


# --- Writing dates for people ------------------------------------------------------------------
# The formats themselves are rms/formats/en/formats.py (DATE_FORMAT, DATETIME_FORMAT); a time is
# shown in the zone active for the reader (portals.middleware for pages, the recipient's zone for
# notifications).


def day_text(value: date | datetime | None) -> str:
    """ "20 Dec 2026"; a date and time gives its day in the active zone; None gives ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "DATE_FORMAT")


def moment_text(value: datetime | None, *, with_zone: bool = False) -> str:
    """ "20 Dec 2026, 17:00" in the active zone, then its abbreviation ("CET") when `with_zone`."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return day_text(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = date_format(local, "DATETIME_FORMAT")
    return f"{text} {local.tzname()}" if with_zone and local.tzinfo else text


def zone_text() -> str:
    """The active zone as a reader knows it: "Europe/Berlin (CET)", or "UTC"."""
    name = timezone.get_current_timezone_name()
    abbreviation = timezone.localtime().tzname()
    return name if abbreviation in (None, name) else f"{name} ({abbreviation})"


@cache
def known_zones() -> frozenset[str]:
    """The IANA zone names a person may choose ("Europe/Berlin")."""
    return frozenset(zoneinfo.available_timezones())


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_zones())]


def zone_or_default(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone of that name, or the program's (settings.TIME_ZONE) for an unknown or empty one."""
    return zoneinfo.ZoneInfo(name if name in known_zones() else settings.TIME_ZONE)

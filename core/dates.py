"""The dates RMS takes at all. Outside these years a date is a typing mistake or tampering:
refused on the field (core.forms, api.serializers.fields) and by the services that do date
arithmetic (business calendars, windows), where year 1 or 9999 would overflow. Product rules
(a needed-by date at most a year ahead…) are the services' and come on top."""

from datetime import date, datetime

from django.core.exceptions import ValidationError

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
OUT_OF_RANGE = f"Give a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}."


def in_range(value: date | datetime) -> bool:
    """Whether a date (or the day of a date and time) lies between EARLIEST_DATE and LATEST_DATE."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def validate_sane_date(value: date | datetime | None) -> None:
    """Refuse a date (or a date and time) outside the years RMS takes: on the model fields people
    type (so the admin and every service's full_clean refuse it) and on the form fields."""
    if value is not None and not in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")

"""The time zone each staff user reads times in: their StaffCalendar's, else settings.TIME_ZONE.

Pages activate it per request (portals.middleware; the calendar comes joined to the session's
user, core.signin.session_user), notifications when they write a message or an email for the
user. Elsewhere the lookup is cached per user: saving a zone here forgets the cached one, an edit
in the admin shows within ZONE_CACHE_SECONDS.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from core.cache import cache_forget, cached
from core.dates import known_zones, zone_or_default
from core.errors import InvalidInput
from references.models import Country
from workflows.models import StaffCalendar

ZONE_CACHE_SECONDS = 300


def _cache_key(user_id: int) -> str:
    return f"staff-zone:{user_id}"


def zone_name_of(user: User | None) -> str:
    """The zone name a user reads times in (settings.TIME_ZONE for no user or no calendar)."""
    if user is None or not user.pk:
        return settings.TIME_ZONE
    if "work_calendar" in user._state.fields_cache:  # joined by core.signin.session_user
        calendar = user._state.fields_cache["work_calendar"]
        return _known_or_default(calendar.time_zone if calendar else "")
    return cached(_cache_key(user.pk), lambda: _saved_zone_name(user.pk), timeout=ZONE_CACHE_SECONDS)


def _saved_zone_name(user_id: int) -> str:
    saved = StaffCalendar.objects.filter(user_id=user_id).values_list("time_zone", flat=True).first()
    return _known_or_default(saved or "")


def _known_or_default(name: str) -> str:
    return name if name in known_zones() else settings.TIME_ZONE


def zone_of(user: User | None) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone_name_of(user))


def contact_zone(contact) -> zoneinfo.ZoneInfo:
    """A customer contact's zone (their record's), else the program's."""
    return zone_or_default(getattr(contact, "time_zone", ""))


@transaction.atomic
def staff_time_zone_set(*, user: User, time_zone: str) -> StaffCalendar:
    """Set the zone a staff user reads times in (and counts business hours in): their calendar's,
    created in the program's default country when they have none."""
    if time_zone not in known_zones():
        raise InvalidInput("Choose a time zone from the list.", field="time_zone")
    calendar = StaffCalendar.objects.select_for_update().filter(user=user).first()
    if calendar is None:
        country = Country.objects.filter(code=settings.WORKFLOW_DEFAULT_COUNTRY).first()
        if country is None:
            raise InvalidInput("Ask an administrator to set up your working calendar.", field="time_zone")
        calendar = StaffCalendar(user=user, country=country)
    calendar.time_zone = time_zone
    calendar.save()
    # Forgotten now and again after commit: a page read in between may have cached the old zone.
    cache_forget(_cache_key(user.pk))
    transaction.on_commit(lambda: cache_forget(_cache_key(user.pk)))
    return calendar

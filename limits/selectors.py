"""Reads of usage and availability for lists and search (the narrow table, never a recount).

For one contact's exact, current answer (approvals, the request form) use
limits.services.limit_check.
"""

from datetime import date, timedelta

from django.db.models import DateField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf
from django.utils import timezone

from limits.models import ContactUsage, LimitPolicy, UsageState
from references.models import BlackoutPeriod


def with_availability(contacts: QuerySet, *, today: date | None = None) -> QuerySet:
    """Annotate contacts with their usage, one join and one subquery, no query per row:

    - `usage_used`: slots used in the program window (0 without a usage row);
    - `usage_slots_left`: free slots under the tightest count limit (None: all of them);
    - `usage_state`: a `UsageState` (available, near a limit, or at one);
    - `available_from`: the first day the contact may be asked, the later of the day a slot
      frees (and the rest ends) and the day after a blackout covering today; None: today.
    Blackouts are read live; account health is the caller's filter (`Contact.objects.offerable()`).
    """
    today = today or timezone.localdate()
    blackout_over = (
        BlackoutPeriod.objects.filter(contact=OuterRef("pk"), start__lte=today, end__gte=today)
        .order_by("-end")
        .annotate(next_day=Cast(F("end") + timedelta(days=1), output_field=DateField()))
        .values("next_day")[:1]
    )
    floor = Value(today, output_field=DateField())
    return contacts.annotate(
        usage_used=Coalesce(F("usage__used"), 0),
        usage_slots_left=F("usage__slots_left"),
        usage_state=Coalesce(F("usage__state"), Value(UsageState.AVAILABLE.value)),
        available_from=NullIf(
            Greatest(
                Coalesce(F("usage__available_from"), floor),
                Coalesce(Subquery(blackout_over, output_field=DateField()), floor),
                output_field=DateField(),
            ),
            floor,
        ),
    )


def available_on(contacts: QuerySet, day: date) -> QuerySet:
    """Contacts with a free slot and no blackout on `day`, as of the last run of the job."""
    return contacts.exclude(usage__available_from__gt=day).exclude(
        blackouts__start__lte=day, blackouts__end__gte=day
    )


def usage_for(contact_ids: list[int]) -> dict[int, ContactUsage]:
    """Stored usage rows by contact id (contacts without a row have used nothing)."""
    return ContactUsage.objects.in_bulk(contact_ids)


def program_limits() -> LimitPolicy:
    return LimitPolicy.current()

"""Reads of usage and availability: the one figure every screen shows (`availability_for`, a
live recount for the rows on screen), and the stored usage for lists and search to filter and
rank on (the narrow table, never a recount).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from django.db.models import DateField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf
from django.utils import timezone

from limits.availability import Availability, LimitHit
from limits.live_check import evaluate_ids
from limits.models import ContactUsage, LimitPolicy, UsageState
from limits.rules import LimitCode
from references.models import ActivityType, BlackoutPeriod
from references.statuses import ReferenceStatus

# What the figure counts when no activity type is named: any activity that uses a slot, held
# back by every rule without a type (a rule for one type binds only that type's requests).
ANY_COUNTED_ACTIVITY = ActivityType(name="activity", counts_toward_limits=True)


def availability_for(
    contact_ids: Iterable[int],
    *,
    activity_type: ActivityType | int | None = None,
    on_date: date | None = None,
    exclude_request_id: int | None = None,
) -> dict[int, Availability]:
    """How many more activities each contact can take on `on_date` (today) before any limit
    refuses — their own cap, the program's or a stricter window cap, their account's, a rest, a
    blackout, the account's health — with the limit that binds and the day a slot frees.

    The one answer for every screen: it is the live check the approval enforces (limit_enforce),
    and a contact whose reference status is resting counts as held, as the approval guard refuses
    them too (workflows.guards.guard_contact_available). One query (the contacts, their accounts,
    the activity type asked about by id and every fact the check reads), however many contacts;
    contacts not found are left out.
    """
    ids = sorted({int(pk) for pk in contact_ids})
    if not ids:
        return {}
    judged = evaluate_ids(
        ids,
        ANY_COUNTED_ACTIVITY if activity_type is None else activity_type,
        on_date or timezone.localdate(),
        exclude_request_id,
    )
    answers = {}
    for pk, (contact, answer) in judged.items():
        if contact.status == ReferenceStatus.RESTING and answer.ok:
            held = LimitHit(LimitCode.REST, f"{contact.full_name} is resting at a usage limit.", None)
            answer = replace(answer, hits=(held,), available_from=None)
        answers[pk] = answer
    return answers


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

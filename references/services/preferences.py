"""What a contact says about taking part, as they say it: pause me for N days, stop asking me, take
part again, my blackout dates; and the daily job that ends the pauses whose last day has passed.

Each preference change goes through `preferences_update` (services/catalogue.py), the one writer
of preferences, so its consents reach the ledger and the search index's refresh sees the row
change; who is offerable is read live (`Contact.objects.offerable()`), so search and approvals
follow at once. The customer portal calls these through `customers.services`, which adds the
notices; a manager's contact edit calls `contact_update` with the same effect.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from core.errors import InvalidInput
from references.models import BlackoutPeriod, Contact, ParticipationPreferences
from references.services.catalogue import _check, _locked, preferences_update
from references.services.consent import ConsentSource

PAUSE_DAYS_MIN, PAUSE_DAYS_MAX = 1, 365
# A contact keeps a handful of blackouts (holidays, quarter closes); more is a mistake or abuse.
BLACKOUTS_MAX = 50


@transaction.atomic
def contact_pause(*, contact: Contact, days: int, source: ConsentSource) -> ParticipationPreferences:
    """Pause the contact for `days` days from today: not offered, not approved, until the job
    ends the pause after its last day (today + days)."""
    if not isinstance(days, int) or not PAUSE_DAYS_MIN <= days <= PAUSE_DAYS_MAX:
        raise InvalidInput(
            f"A pause lasts from {PAUSE_DAYS_MIN} to {PAUSE_DAYS_MAX} days.", field="pause_days"
        )
    until = timezone.localdate() + timedelta(days=days)
    return preferences_update(contact=contact, consent=source, paused_by_contact=True, paused_until=until)


@transaction.atomic
def contact_unpause(*, contact: Contact, source: ConsentSource) -> ParticipationPreferences:
    """End the contact's pause now (it forgets its end date)."""
    return preferences_update(contact=contact, consent=source, paused_by_contact=False)


@transaction.atomic
def contact_opt_out(*, contact: Contact, source: ConsentSource) -> ParticipationPreferences:
    """Stop asking the contact: withdraws their consent to take part (a ledger entry)."""
    return preferences_update(contact=contact, consent=source, opted_out=True, opted_out_at=timezone.now())


@transaction.atomic
def contact_opt_in(*, contact: Contact, source: ConsentSource) -> ParticipationPreferences:
    """The contact takes part again: their consent is given now (a ledger entry)."""
    return preferences_update(
        contact=contact, consent=source, opted_out=False, opted_out_at=None, consent_given_at=timezone.now()
    )


@transaction.atomic
def blackout_add(*, contact: Contact, start: date, end: date, reason: str = "") -> BlackoutPeriod:
    """Add dates on which the contact must not be approached (the model's checks, and: not over
    already, at most BLACKOUTS_MAX of them)."""
    locked = _locked(contact)
    if start is not None and end is not None and end < start:
        raise InvalidInput("The end date must be on or after the start date.", field="end")
    if end is not None and end < timezone.localdate():
        raise InvalidInput("These dates are over already.", field="end")
    if BlackoutPeriod.objects.filter(contact=locked).count() >= BLACKOUTS_MAX:
        raise InvalidInput(f"At most {BLACKOUTS_MAX} blackout periods; remove one first.", field="start")
    blackout = BlackoutPeriod(contact=locked, start=start, end=end, reason=(reason or "").strip())
    _check(blackout)
    blackout.save()
    return blackout


@transaction.atomic
def blackout_remove(*, contact: Contact, blackout_id: int) -> bool:
    """Remove one of the contact's blackouts; False if they have none of that id."""
    locked = _locked(contact)
    deleted, _ = BlackoutPeriod.objects.filter(contact=locked, pk=blackout_id).delete()
    return bool(deleted)


@transaction.atomic
def pauses_end(*, today: date | None = None) -> int:
    """End every pause whose last day is before `today`, in one statement; returns how many.

    Set-based and idempotent: a second run finds none. The row's time of last change moves, so
    the search index's next refresh takes the contact back; offerability is read live anyway.
    A pause is not a consent: no ledger entry.
    """
    today = today or timezone.localdate()
    over = ParticipationPreferences.objects.filter(paused_by_contact=True, paused_until__lt=today)
    return over.update(paused_by_contact=False, paused_until=None, updated_at=timezone.now())

"""Writing the consent ledger: one entry per consent a preference change gives or withdraws.

Called by the one writer of participation preferences (`services/catalogue.py`,
`_save_preferences`) in its transaction, whoever makes the change — the customer portal, a
manager's contact edit, the admin, an import — so no path can change a consent without its
entry. What counts as a consent:

- taking part in the program: given when the contact stops being opted out or a new consent time
  is recorded; withdrawn when they opt out;
- each activity type: given when it joins the types the contact will do, withdrawn when it leaves.

Anything else (a cap, a channel, a pause, what they want in return) changes no consent.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from references import consent as wordings
from references.models import ParticipationPreferences
from references.models.consent import ConsentEntry, ConsentMethod, ConsentSubject


@dataclass(frozen=True)
class ConsentSource:
    """How a change was made, and by which staff user (None for the contact or RMS)."""

    method: str
    by: AbstractBaseUser | None = None

    @classmethod
    def staff(cls, user: AbstractBaseUser) -> "ConsentSource":
        return cls(ConsentMethod.STAFF, user)

    @classmethod
    def admin(cls, user: AbstractBaseUser) -> "ConsentSource":
        return cls(ConsentMethod.ADMIN, user)


PORTAL = ConsentSource(ConsentMethod.PORTAL)
SYSTEM = ConsentSource(ConsentMethod.IMPORT)  # imports, jobs, the demo, tests: no person recorded it


@dataclass(frozen=True)
class ConsentState:
    """The consents of a contact's preferences (those `changes` may touch), read before a write."""

    opted_out: bool
    consent_given_at: datetime | None
    activity_type_ids: frozenset[int] | None  # None: the change does not touch them


def consent_state(preferences: ParticipationPreferences, changes: Mapping[str, Any]) -> ConsentState:
    """The state before `changes` (one query when they set the activity types of a saved row)."""
    ids = None
    if "activity_types" in changes:
        saved = preferences.pk is not None
        ids = frozenset(preferences.activity_types.values_list("pk", flat=True)) if saved else frozenset()
    return ConsentState(preferences.opted_out, preferences.consent_given_at, ids)


def consent_record(
    *,
    preferences: ParticipationPreferences,
    before: ConsentState,
    activity_type_ids: Iterable[int] | None,
    source: ConsentSource,
) -> list[ConsentEntry]:
    """Write the entries for what changed from `before` to the saved `preferences` (whose
    activity types are now `activity_type_ids`, None if unchanged). Returns them."""
    now = timezone.now()
    entries = []
    taking_part = _program_change(before, preferences)
    if taking_part is not None:
        entries.append(_entry(preferences, ConsentSubject.PROGRAM, None, taking_part, source, now))
    if before.activity_type_ids is not None and activity_type_ids is not None:
        after = frozenset(activity_type_ids)
        for type_id in sorted(after - before.activity_type_ids):
            entries.append(_entry(preferences, ConsentSubject.ACTIVITY_TYPE, type_id, True, source, now))
        for type_id in sorted(before.activity_type_ids - after):
            entries.append(_entry(preferences, ConsentSubject.ACTIVITY_TYPE, type_id, False, source, now))
    return ConsentEntry.objects.bulk_create(entries) if entries else []


def _program_change(before: ConsentState, after: ParticipationPreferences) -> bool | None:
    """True if taking part was given, False if withdrawn, None if unchanged."""
    if after.opted_out != before.opted_out:
        return not after.opted_out
    new_consent = after.consent_given_at is not None and after.consent_given_at != before.consent_given_at
    return True if new_consent and not after.opted_out else None


def _entry(
    preferences: ParticipationPreferences,
    subject: str,
    activity_type_id: int | None,
    given: bool,
    source: ConsentSource,
    now: datetime,
) -> ConsentEntry:
    return ConsentEntry(
        contact_id=preferences.contact_id,
        subject=subject,
        activity_type_id=activity_type_id,
        given=given,
        recorded_at=now,
        method=source.method,
        wording_version=wordings.CURRENT[subject].version,
        recorded_by=source.by,
    )

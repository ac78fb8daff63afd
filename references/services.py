"""Writes to the reference catalogue.

A reference status is changed only here: the row is locked, the new status saved and an immutable
StatusChange (who, when, from, to, why) written in the same transaction, so the history can never
disagree with the status. One contact or account at a time, many in a batch, or — for system jobs
over thousands of contacts — set-based from a table of moves (`contact_moves_apply`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from core.errors import InvalidInput
from references.models import (
    Account,
    AccountNote,
    ActivityType,
    Competitor,
    Contact,
    Country,
    Industry,
    ParticipationPreferences,
    Persona,
    Product,
    ReferenceStatus,
    SizeBand,
    StatusChange,
    UseCase,
)

Subject = TypeVar("Subject", Account, Contact)
Actor = AbstractBaseUser | None  # None only for system jobs
_BATCH = 1000


@dataclass(frozen=True)
class BulkStatusChange:
    """What a bulk status change did: the rows it changed and the rows already in that status."""

    to_status: str
    changed: list[Account | Contact] = field(default_factory=list)
    unchanged: list[Account | Contact] = field(default_factory=list)


def account_change_status(*, account: Account, to_status: str, reason: str, actor: Actor) -> Account:
    """Move one account to `to_status`, recording who did it and why.

    Refuses (InvalidInput) an unknown status, an empty reason, or a status the account already has.
    `actor` is None only for system jobs. Returns the account as locked and saved.
    """
    return _change_one(Account, account, to_status=to_status, reason=reason, actor=actor)


def contact_change_status(*, contact: Contact, to_status: str, reason: str, actor: Actor) -> Contact:
    """Move one contact to `to_status`, recording who did it and why.

    Same rules as `account_change_status`. Returns the contact as locked and saved.
    """
    return _change_one(Contact, contact, to_status=to_status, reason=reason, actor=actor)


def account_bulk_change_status(
    *, accounts: Iterable[Account], to_status: str, reason: str, actor: Actor
) -> BulkStatusChange:
    """Move many accounts to `to_status` in one transaction, one StatusChange per changed account.

    Accounts already in `to_status` are left alone and reported as unchanged; an unknown status or
    an empty reason refuses the whole batch.
    """
    return _change_many(Account, accounts, to_status=to_status, reason=reason, actor=actor)


def contact_bulk_change_status(
    *, contacts: Iterable[Contact], to_status: str, reason: str, actor: Actor
) -> BulkStatusChange:
    """Move many contacts to `to_status` in one transaction; see `account_bulk_change_status`."""
    return _change_many(Contact, contacts, to_status=to_status, reason=reason, actor=actor)


@transaction.atomic
def contact_moves_apply(
    *, moves: str, reason_sql: str, params: Mapping | None = None, at: datetime | None = None
) -> dict[str, int]:
    """Move contacts between statuses as the table `moves` says, set-based, with their history.

    `moves` names a table (usually a temporary one) with a row per contact: `contact_id`,
    `from_status`, `to_status`, and whatever `reason_sql` reads — an SQL expression for the
    StatusChange reason on the moves row `m`, taking its values from `params`. Only contacts
    still in their `from_status` move: their rows are locked in id order (as every multi-row
    status change here, so two never deadlock), then each gets one StatusChange by the system
    (no actor) and its new status, all at `at` — four statements whatever the number of
    contacts. Returns how many contacts moved, per new status.
    """
    table = connection.ops.quote_name(moves)
    params = {**(params or {}), "moved_at": at or timezone.now()}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # SQLite locks the whole database for a write
            cursor.execute(LOCK_MOVES.format(moves=table))
        cursor.execute(COUNT_MOVES.format(moves=table))
        moved = dict(cursor.fetchall())
        if moved:
            cursor.execute(HISTORY.format(moves=table, reason=reason_sql), params)
            cursor.execute(APPLY_MOVES.format(moves=table), params)
    return moved


# --- internals ------------------------------------------------------------------------------

# The set-based moves (`contact_moves_apply`): lock the contacts about to move in id order, count
# those still in the status they move from, write their history and then their status.
LOCK_MOVES = """
WITH locked AS (
    SELECT c.id FROM references_contact c JOIN {moves} m ON m.contact_id = c.id
    ORDER BY c.id FOR UPDATE OF c
)
SELECT COUNT(*) FROM locked
"""

COUNT_MOVES = """
SELECT m.to_status, COUNT(*) FROM {moves} m
JOIN references_contact c ON c.id = m.contact_id AND c.status = m.from_status
GROUP BY m.to_status
"""

HISTORY = """
INSERT INTO references_statuschange
    (contact_id, account_id, from_status, to_status, reason, changed_by_id, changed_at)
SELECT m.contact_id, NULL, m.from_status, m.to_status, {reason}, NULL, %(moved_at)s
FROM {moves} m JOIN references_contact c ON c.id = m.contact_id AND c.status = m.from_status
"""

APPLY_MOVES = """
UPDATE references_contact SET status = m.to_status, updated_at = %(moved_at)s
FROM {moves} m
WHERE m.contact_id = references_contact.id AND references_contact.status = m.from_status
"""


def _clean_input(to_status: str, reason: str) -> str:
    if to_status not in ReferenceStatus.values:
        raise InvalidInput(f"“{to_status}” is not a reference status.", field="to_status")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give a reason for the status change.", field="reason")
    return reason


@transaction.atomic
def _change_one(
    model: type[Subject], subject: Subject, *, to_status: str, reason: str, actor: Actor
) -> Subject:
    reason = _clean_input(to_status, reason)
    # Read the status under the lock: a concurrent change cannot slip between the read and the write.
    locked = model.objects.select_for_update().get(pk=subject.pk)
    if locked.status == to_status:
        raise InvalidInput(f"{locked} is already {locked.get_status_display()}.", field="to_status")
    _apply(model, [locked], to_status=to_status, reason=reason, actor=actor)
    return locked


@transaction.atomic
def _change_many(
    model: type[Subject], subjects: Iterable[Subject], *, to_status: str, reason: str, actor: Actor
) -> BulkStatusChange:
    reason = _clean_input(to_status, reason)
    pks = subjects.values("pk") if isinstance(subjects, models.QuerySet) else [s.pk for s in subjects]
    # Lock in primary-key order so two overlapping batches cannot deadlock.
    rows = list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    changed = [row for row in rows if row.status != to_status]
    unchanged = [row for row in rows if row.status == to_status]
    _apply(model, changed, to_status=to_status, reason=reason, actor=actor)
    return BulkStatusChange(to_status=to_status, changed=changed, unchanged=unchanged)


def _apply(model: type[Subject], rows: list[Subject], *, to_status: str, reason: str, actor: Actor) -> None:
    """Write the new status and one history row per subject: two queries per thousand rows."""
    if not rows:
        return
    subject_field = model._meta.model_name  # "account" or "contact": the StatusChange foreign key
    history = [
        StatusChange(
            **{subject_field: row},
            from_status=row.status,
            to_status=to_status,
            reason=reason,
            changed_by=actor,
        )
        for row in rows
    ]
    now = timezone.now()
    pks = [row.pk for row in rows]
    # Batches keep the IN list under SQLite's bound-parameter limit when thousands change at once.
    for start in range(0, len(pks), _BATCH):
        model.objects.filter(pk__in=pks[start : start + _BATCH]).update(status=to_status, updated_at=now)
    StatusChange.objects.bulk_create(history, batch_size=_BATCH)
    for row in rows:
        row.status, row.updated_at = to_status, now


# === Catalogue edits: accounts, their notes, contacts and their preferences ====================
#
# Every screen that edits the catalogue (the manager portal, the admin) writes through these
# functions. Each takes the values a form parsed, sets them on the row (locked first when it
# exists), checks the model's own rules — each field's checks, then its database constraints,
# each refusal an InvalidInput naming the field — and only then writes, in one transaction. A
# status is never among the values: it changes only through the status functions above.
#
# Locks: a contact's row before its preferences' row (limit checks read the contact's own cap
# with the contact locked, so a cap change waits for them); one account, one note: its own row.

Row = TypeVar("Row", bound=models.Model)


class AccountFields(TypedDict, total=False):
    """An account's editable fields (never its status). Required when creating: name, owner,
    industry, size_band, country."""

    name: str
    owner: AbstractBaseUser
    stewards: Iterable[AbstractBaseUser]
    reference_story: str
    industry: Industry
    size_band: SizeBand
    country: Country
    customer_since: date | None
    products: Iterable[Product]
    use_cases: Iterable[UseCase]
    competitors_displaced: Iterable[Competitor]
    annual_contract_value: Decimal
    currency: str
    renewal_date: date | None
    nps: int | None
    open_escalations: int
    at_risk: bool


class NoteFields(TypedDict, total=False):
    """An account note's editable fields."""

    account: Account
    kind: str
    body: str
    author: AbstractBaseUser | None


class ContactFields(TypedDict, total=False):
    """A contact's editable fields (never their status; their account is an argument of its own).
    Required when creating: first_name, last_name, persona, email."""

    first_name: str
    last_name: str
    title: str
    persona: Persona
    email: str
    phone: str
    language: str
    time_zone: str


class PreferenceFields(TypedDict, total=False):
    """What a contact is willing to do: the editable fields of their participation preferences."""

    activity_types: Iterable[ActivityType]
    own_cap_per_quarter: int | None
    preferred_channel: str
    wants_in_return: str
    consent_given_at: datetime | None
    opted_out: bool
    opted_out_at: datetime | None
    paused_by_contact: bool


# Constraints a caller's values can break, by name: the field at fault and what to tell the user.
# (Those on statuses and choices never get this far: each field's own check refuses them first.)
_CONSTRAINT_REFUSALS = {
    "account_nps_0_10": ("nps", "NPS is an answer from 0 to 10."),
    "account_acv_non_negative": ("annual_contract_value", "The contract value cannot be negative."),
    "contact_email_unique_per_account": ("email", "Another contact of this account has this email."),
}


# --- accounts and notes ---------------------------------------------------------------------


@transaction.atomic
def account_create(**fields: Unpack[AccountFields]) -> Account:
    """Add a customer account. It starts as a candidate; see `account_change_status`."""
    return _save(Account(), fields, allowed=AccountFields)


@transaction.atomic
def account_update(*, account: Account, **changes: Unpack[AccountFields]) -> Account:
    """Change the given fields of an account; the others, and its status, stay as they are.

    Returns the account as locked and saved (a fresh row, not the object passed in).
    """
    return _save(_locked(account), changes, allowed=AccountFields)


@transaction.atomic
def account_note_create(
    *, account: Account, body: str, author: Actor, kind: str = AccountNote.Kind.GENERAL
) -> AccountNote:
    """Write a note about an account, signed by `author` (None only for imports and system jobs)."""
    values = {"account": account, "kind": kind, "body": body, "author": author}
    return _save(AccountNote(), values, allowed=NoteFields)


@transaction.atomic
def account_note_update(*, note: AccountNote, **changes: Unpack[NoteFields]) -> AccountNote:
    """Change the given fields of a note; returns the note as locked and saved."""
    return _save(_locked(note), changes, allowed=NoteFields)


# --- contacts and their preferences ---------------------------------------------------------


@transaction.atomic
def contact_create(
    *, account: Account, preferences: PreferenceFields | None = None, **fields: Unpack[ContactFields]
) -> Contact:
    """Add a contact to an account, always with their participation preferences: the defaults,
    with `preferences` applied when given. A new contact is a candidate (see
    `contact_change_status`)."""
    contact = _save(Contact(account=account), fields, allowed=ContactFields)
    _save_preferences(ParticipationPreferences(contact=contact), preferences or {})
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    account: Account | None = None,
    preferences: PreferenceFields | None = None,
    **changes: Unpack[ContactFields],
) -> Contact:
    """Change the given fields of a contact, and of their preferences when `preferences` is given;
    `account` moves the contact to another account. Their status stays as it is.

    A contact saved before every contact had preferences gets them here. Returns the contact as
    locked and saved.
    """
    locked = _locked(contact)
    values: dict[str, Any] = {**changes} if account is None else {**changes, "account": account}
    _save(locked, values, allowed=ContactFields, also={"account"})
    _save_preferences(_preferences_of(locked), preferences or {})
    return locked


@transaction.atomic
def preferences_update(*, contact: Contact, **changes: Unpack[PreferenceFields]) -> ParticipationPreferences:
    """Change what a contact is willing to do, how often and how to reach them.

    Opting out without a time means now. Returns the preferences as locked and saved (created
    first for a contact that had none).
    """
    if contact is None or contact.pk is None:
        raise InvalidInput("Choose the contact.", field="contact")
    return _save_preferences(_preferences_of(_locked(contact)), changes)


# --- internals of the catalogue edits -------------------------------------------------------


def _locked(row: Row) -> Row:
    """The row read again under a lock (select_for_update), so two edits run one after the other."""
    return type(row)._default_manager.select_for_update().get(pk=row.pk)


def _preferences_of(contact: Contact) -> ParticipationPreferences:
    """The contact's preferences, locked, created with the defaults if the contact had none."""
    rows = ParticipationPreferences.objects.select_for_update()
    return rows.get_or_create(contact=contact)[0]


def _save_preferences(
    preferences: ParticipationPreferences, changes: Mapping[str, Any]
) -> ParticipationPreferences:
    """Save the changes; opting out without a time means now (the database requires one)."""
    values = dict(changes)
    opted_out = values.get("opted_out", preferences.opted_out)
    if opted_out and not values.get("opted_out_at", preferences.opted_out_at):
        values["opted_out_at"] = timezone.now()
    if not values and preferences.pk is not None:
        return preferences  # nothing to change: the row keeps its time of last change
    return _save(preferences, values, allowed=PreferenceFields)


def _save(row: Row, values: Mapping[str, Any], *, allowed: type, also: Iterable[str] = ()) -> Row:
    """Set `values` on the row, check it, write it, then set its many-to-many fields.

    `allowed` is the TypedDict naming the fields callers may set (and `also` the parent a row may
    move to); anything else, a status above all, is a programming error. An update writes only
    the fields given and the row's time of last change, so a concurrent status change is never
    overwritten by a stale copy.
    """
    unknown = set(values) - allowed.__optional_keys__ - allowed.__required_keys__ - set(also)
    if unknown:
        raise TypeError(f"{type(row).__name__} has no editable field(s) {', '.join(sorted(unknown))}")
    many = {f.name for f in row._meta.many_to_many}
    plain = [name for name in values if name not in many]
    for name in plain:
        value = values[name]
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    _check(row)
    if row._state.adding:
        row.save()
    else:
        stamps = [f.name for f in row._meta.concrete_fields if getattr(f, "auto_now", False)]
        row.save(update_fields=[*plain, *stamps])
    for name in many.intersection(values):
        getattr(row, name).set(values[name])
    return row


def _check(row: models.Model) -> None:
    """The model's own rules, asked before writing: each field's checks (required, length,
    choices, the row it points to exists…), then its database constraints. The first one broken
    is refused as InvalidInput naming its field."""
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(messages[0], field=None if name == NON_FIELD_ERRORS else name) from None
    for constraint in row._meta.constraints:
        try:
            constraint.validate(type(row), row)
        except ValidationError as error:
            name, message = _CONSTRAINT_REFUSALS.get(constraint.name, (None, error.messages[0]))
            raise InvalidInput(message, field=name) from None

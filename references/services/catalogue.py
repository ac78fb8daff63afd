"""Catalogue edits: accounts, their notes, contacts and their preferences.

Every screen that edits the catalogue (the manager portal, the admin) writes through these
functions. Each takes the values a form parsed, sets them on the row (locked first when it
exists), checks the model's own rules — each field's checks, then its database constraints,
each refusal an InvalidInput naming the field — and only then writes, in one transaction. A
status is never among the values: it changes only through services/status.py.

Locks: a contact's row before its preferences' row (limit checks read the contact's own cap
with the contact locked, so a cap change waits for them); one account, one note: its own row.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict, TypeVar, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.errors import InvalidInput
from core.roles import ACCOUNT_OWNER_ROLES, users_with_roles
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
    SizeBand,
    UseCase,
)
from references.services.consent import SYSTEM, ConsentSource, consent_record, consent_state
from references.services.status import Actor

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
    paused_until: date | None
    topics_to_avoid: str


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
    _check_people(fields)
    return _save(Account(), fields, allowed=AccountFields)


@transaction.atomic
def account_update(*, account: Account, **changes: Unpack[AccountFields]) -> Account:
    """Change the given fields of an account; the others, and its status, stay as they are.

    Returns the account as locked and saved (a fresh row, not the object passed in).
    """
    _check_people(changes)
    return _save(_locked(account), changes, allowed=AccountFields)


@transaction.atomic
def account_owner_change(*, account: Account, owner: AbstractBaseUser, reason: str, actor: Actor) -> Account:
    """Give the account to another owner, who answers its requests from now on, with the reason
    kept in the account's notes (who, when, from whom to whom, why).

    The open approvals of its requests follow the owner: the workflow's
    `workflows.owners.account_owner_reassign` calls this and re-addresses them.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the account changes owner.", field="reason")
    locked = _locked(account)
    if owner is None or owner.pk == locked.owner_id:
        raise InvalidInput("Choose someone other than the current owner.", field="owner")
    before = locked.owner
    changed = account_update(account=locked, owner=owner)
    body = f"Owner changed from {_person(before)} to {_person(owner)}: {reason}"
    account_note_create(account=changed, body=body, author=actor)
    return changed


def _person(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def _check_people(fields: Mapping[str, Any]) -> None:
    """An owner answers the requests to use the account, so must be someone who can (an active rep
    or reference manager); stewards are active people of the program. The same rule whether the
    manager portal, the admin or an import sets them."""
    owner = fields.get("owner")
    if owner is not None and not users_with_roles(*ACCOUNT_OWNER_ROLES).filter(pk=owner.pk).exists():
        raise InvalidInput("The owner must be an active sales rep or reference manager.", field="owner")
    stewards = [user.pk for user in fields.get("stewards") or ()]
    if stewards and users_with_roles().filter(pk__in=stewards).count() != len(set(stewards)):
        raise InvalidInput("Stewards must be active people of the program.", field="stewards")


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
    *,
    account: Account,
    preferences: PreferenceFields | None = None,
    consent: ConsentSource = SYSTEM,
    **fields: Unpack[ContactFields],
) -> Contact:
    """Add a contact to an account, always with their participation preferences: the defaults,
    with `preferences` applied when given (their consents entered in the ledger as coming from
    `consent`). A new contact is a candidate (see `contact_change_status`)."""
    contact = _save(Contact(account=account), fields, allowed=ContactFields)
    _save_preferences(ParticipationPreferences(contact=contact), preferences or {}, consent)
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    account: Account | None = None,
    preferences: PreferenceFields | None = None,
    consent: ConsentSource = SYSTEM,
    **changes: Unpack[ContactFields],
) -> Contact:
    """Change the given fields of a contact, and of their preferences when `preferences` is given
    (the consents they change entered in the ledger as coming from `consent`); `account` moves
    the contact to another account. Their status stays as it is.

    A contact saved before every contact had preferences gets them here. Returns the contact as
    locked and saved.
    """
    locked = _locked(contact)
    values: dict[str, Any] = {**changes} if account is None else {**changes, "account": account}
    _save(locked, values, allowed=ContactFields, also={"account"})
    _save_preferences(_preferences_of(locked), preferences or {}, consent)
    return locked


@transaction.atomic
def preferences_update(
    *, contact: Contact, consent: ConsentSource = SYSTEM, **changes: Unpack[PreferenceFields]
) -> ParticipationPreferences:
    """Change what a contact is willing to do, how often and how to reach them; each consent it
    gives or withdraws is entered in the ledger as coming from `consent`.

    Opting out without a time means now; ending a pause forgets its end date. Returns the
    preferences as locked and saved (created first for a contact that had none).
    """
    if contact is None or contact.pk is None:
        raise InvalidInput("Choose the contact.", field="contact")
    return _save_preferences(_preferences_of(_locked(contact)), changes, consent)


# --- internals of the catalogue edits -------------------------------------------------------


def _locked(row: Row) -> Row:
    """The row read again under a lock (select_for_update), so two edits run one after the other."""
    return type(row)._default_manager.select_for_update().get(pk=row.pk)


def _preferences_of(contact: Contact) -> ParticipationPreferences:
    """The contact's preferences, locked, created with the defaults if the contact had none."""
    rows = ParticipationPreferences.objects.select_for_update()
    return rows.get_or_create(contact=contact)[0]


def _save_preferences(
    preferences: ParticipationPreferences, changes: Mapping[str, Any], consent: ConsentSource
) -> ParticipationPreferences:
    """Save the changes and enter the consents they give or withdraw in the ledger (see
    services/consent.py). Opting out without a time means now (the database requires one); a
    pause's end date belongs to a pause."""
    values = dict(changes)
    opted_out = values.get("opted_out", preferences.opted_out)
    if opted_out and not values.get("opted_out_at", preferences.opted_out_at):
        values["opted_out_at"] = timezone.now()
    _check_pause(preferences, values)
    if not values and preferences.pk is not None:
        return preferences  # nothing to change: the row keeps its time of last change
    willing = None
    if "activity_types" in values:
        values["activity_types"] = list(values["activity_types"] or ())
        willing = [activity_type.pk for activity_type in values["activity_types"]]
    before = consent_state(preferences, values)
    saved = _save(preferences, values, allowed=PreferenceFields)
    consent_record(preferences=saved, before=before, activity_type_ids=willing, source=consent)
    return saved


def _check_pause(preferences: ParticipationPreferences, values: dict[str, Any]) -> None:
    """A pause may have an end date; no pause, no end date (cleared when a pause ends)."""
    paused = values.get("paused_by_contact", preferences.paused_by_contact)
    if not paused and "paused_by_contact" in values and preferences.paused_until is not None:
        values.setdefault("paused_until", None)
    if not paused and values.get("paused_until") is not None:
        raise InvalidInput("Only a pause has an end date.", field="paused_until")


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

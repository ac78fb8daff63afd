"""Reference status changes of accounts and contacts: the only code that writes them.

The row is locked, the new status saved and an immutable StatusChange (who, when, from, to, why)
written in the same transaction, so the history can never disagree with the status. One contact
or account at a time, many in a batch, or — for system jobs over thousands of contacts —
set-based from a table of moves (`contact_moves_apply`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models, transaction
from django.utils import timezone

from core.errors import InvalidInput
from references.models import (
    Account,
    Contact,
    ReferenceStatus,
    StatusChange,
)
from references.outbound import contact_rows, contacts_status_changed
from webhooks.outbox import listening
from webhooks.statuses import EventType

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
        if moved and listening(EventType.CONTACT_STATUS_CHANGED):
            cursor.execute(MOVING.format(moves=table))
            contacts_status_changed(cursor.fetchall(), actor_id=None, at=params["moved_at"])
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

# The contacts about to move, for the webhooks (only read when a subscription listens).
MOVING = """
SELECT m.contact_id, c.account_id, m.from_status, m.to_status FROM {moves} m
JOIN references_contact c ON c.id = m.contact_id AND c.status = m.from_status
ORDER BY m.contact_id
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
    if model is Contact:
        contacts_status_changed(contact_rows(rows, to_status), actor_id=actor.pk if actor else None, at=now)
    for row in rows:
        row.status, row.updated_at = to_status, now

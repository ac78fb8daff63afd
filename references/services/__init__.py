"""Writes to the reference catalogue: status changes (services/status.py, the only code that
writes a reference status and its history) and catalogue edits (services/catalogue.py: accounts,
notes, contacts, preferences). Import them from here."""

from references.services.catalogue import (
    AccountFields,
    ContactFields,
    NoteFields,
    PreferenceFields,
    account_create,
    account_note_create,
    account_note_update,
    account_owner_change,
    account_update,
    contact_create,
    contact_update,
    preferences_update,
)
from references.services.consent import PORTAL, SYSTEM, ConsentSource
from references.services.status import (
    Actor,
    BulkStatusChange,
    account_bulk_change_status,
    account_change_status,
    contact_bulk_change_status,
    contact_change_status,
    contact_moves_apply,
)

__all__ = [
    "AccountFields",
    "Actor",
    "BulkStatusChange",
    "ConsentSource",
    "PORTAL",
    "SYSTEM",
    "ContactFields",
    "NoteFields",
    "PreferenceFields",
    "account_bulk_change_status",
    "account_change_status",
    "account_create",
    "account_note_create",
    "account_note_update",
    "account_owner_change",
    "account_update",
    "contact_bulk_change_status",
    "contact_change_status",
    "contact_create",
    "contact_moves_apply",
    "contact_update",
    "preferences_update",
]

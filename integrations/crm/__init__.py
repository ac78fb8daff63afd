"""CRM sync: accounts, contacts and deals created or updated by their external id, a batch of
up to `MAX_ITEMS` at a time, all or nothing (see common.py). The API's `/api/crm/` calls these."""

from integrations.crm.accounts import accounts_upsert
from integrations.crm.common import MAX_ITEMS, BatchInvalid, ItemResult, UpsertResult
from integrations.crm.contacts import contacts_upsert
from integrations.crm.opportunities import opportunities_upsert

__all__ = [
    "MAX_ITEMS",
    "BatchInvalid",
    "ItemResult",
    "UpsertResult",
    "accounts_upsert",
    "contacts_upsert",
    "opportunities_upsert",
]

"""The CRM's accounts, upserted by external id.

An item sets the fields it names; those it leaves out keep their values (a new account takes the
model's defaults, and its status starts as every new account's: the program decides it, so no
item can set it). An account that changes owner goes through the workflow's
`account_owner_reassign` (a note in its history; its open approvals follow the new owner), the
only way an existing account changes owner: one of the few writes whose queries grow with the
batch, one per account that changes owner.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from integrations.crm.common import (
    Batch,
    ItemResult,
    Plan,
    Problems,
    UpsertResult,
    by_code,
    missing,
    owners_by_email,
    pick,
    pick_many,
    pick_owner,
    plan_changes,
    rows_by_external_id,
    write_changes,
)
from references.models import Account, Country, Industry, Product, SizeBand, UseCase
from workflows.owners import account_owner_reassign

# Item field → model field, where they differ (for naming a model's refusal as the item names it).
NAMES = {"owner": "owner_email"}
# What an item must give to create an account.
REQUIRED = ("name", "industry", "size_band", "country", "owner_email")
# Fields copied as they are.
PLAIN = (
    "name",
    "customer_since",
    "annual_contract_value",
    "currency",
    "nps",
    "open_escalations",
    "renewal_date",
    "at_risk",
)
OWNER_CHANGE_REASON = "Changed in the CRM."


class Lookups:
    """What a batch of accounts names, read once: the taxonomies and the owners."""

    def __init__(self, batch: Batch):
        self.industries = by_code(Industry, "naics_code")
        self.size_bands = by_code(SizeBand, "name")
        self.countries = by_code(Country, "code")
        self.products = by_code(Product, "name")
        self.use_cases = by_code(UseCase, "name")
        self.owners = owners_by_email(batch.values("owner_email"))


@transaction.atomic
def accounts_upsert(
    *, items: Sequence[Mapping[str, Any] | None], actor: User, refused: Mapping[int, Mapping] | None = None
) -> list[ItemResult]:
    """Create or update the accounts of a batch by external id, all or nothing: a problem in any
    item (or one the caller found, `refused`, its item None) raises `BatchInvalid` naming every
    item at fault, and nothing is written."""
    batch = Batch(items, refused)
    problems, ids = batch.problems, batch.external_ids
    lookups = Lookups(batch)
    plans = [_plan(index, item, lookups, problems) for index, item in batch.items]
    unlocked = rows_by_external_id(Account, ids, lock=False)
    first = plan_changes(Account, plans, unlocked, problems, names=NAMES, check=required_check)
    problems.raise_any()
    # The owner changes first, locking as every writer does: the account's open requests, then
    # the account. Then the batch's rows are read again, locked, and planned on what they are now.
    handed = _hand_over(first, actor)
    changes = plan_changes(Account, plans, rows_by_external_id(Account, ids), problems, names=NAMES)
    problems.raise_any()
    results = write_changes(changes)
    return [_handed(result, handed) for result in results]


def _plan(index: int, item: Mapping[str, Any], lookups: Lookups, problems: Problems) -> Plan:
    values = {name: item[name] for name in PLAIN if name in item}
    picks = (
        ("industry", lookups.industries, "an industry's NAICS code"),
        ("size_band", lookups.size_bands, "a size band's name"),
        ("country", lookups.countries, "a country's ISO 3166 code"),
    )
    for name, known, what in picks:
        if name in item:
            pick(values, problems, index, name, item[name], known, what)
    if "owner_email" in item:
        pick_owner(values, problems, index, item["owner_email"], lookups.owners)
    many = {}
    for name, known, what in (
        ("products", lookups.products, "one of the products"),
        ("use_cases", lookups.use_cases, "one of the use cases"),
    ):
        if name in item:
            many[name] = pick_many(problems, index, name, item[name], known, what)
    return Plan(index, item["external_id"], values, many, frozenset(item))


def required_check(row: Account, plan: Plan) -> list[tuple[str, str]]:
    """A new account needs what `REQUIRED` names (an item's unresolved code was named already)."""
    return missing(row, plan, REQUIRED, "Required to create an account.")


def _hand_over(changes, actor: User) -> set[int]:
    """Give each existing account whose owner changes to its new owner (`account_owner_reassign`);
    returns their ids. In id order, as the batch's rows are locked: two batches handing over the
    same accounts in different item orders would otherwise deadlock (a 500)."""
    handed = set()
    for row, changed in sorted(changes.updated, key=lambda update: update[0].pk):
        if "owner" in changed:
            account = Account.objects.select_related("owner").get(pk=row.pk)  # as it is: the note says "was"
            account_owner_reassign(account=account, owner=row.owner, reason=OWNER_CHANGE_REASON, actor=actor)
            handed.add(row.pk)
    return handed


def _handed(result: ItemResult, handed: set[int]) -> ItemResult:
    """An account whose only change was its owner was written by the hand-over: updated."""
    if result.id in handed and result.result == UpsertResult.UNCHANGED:
        return ItemResult(result.index, result.external_id, UpsertResult.UPDATED, result.id)
    return result

"""The CRM's contacts, upserted by external id, each at an account the CRM already sent (its
`account_external_id`).

An item sets the fields it names; those it leaves out keep their values. A new contact starts as
every new contact does: a candidate, with default participation preferences (no consent given,
so none is entered in the ledger); neither can an item set. Two contacts of one account never
share an email (the database's rule, checked here over the whole batch first).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Lower

from integrations.crm.common import (
    Batch,
    Changes,
    ItemResult,
    Plan,
    Problems,
    by_code,
    missing,
    plan_changes,
    rows_by_external_id,
    write_changes,
)
from references.models import Account, Contact, ParticipationPreferences, Persona

NAMES = {"account": "account_external_id"}
REQUIRED = ("account_external_id", "first_name", "last_name", "persona", "email")
PLAIN = ("first_name", "last_name", "title", "email", "phone", "language", "time_zone")


@transaction.atomic
def contacts_upsert(
    *, items: Sequence[Mapping[str, Any] | None], refused: Mapping[int, Mapping] | None = None
) -> list[ItemResult]:
    """Create or update the contacts of a batch by external id, all or nothing: a problem in any
    item (or one the caller found, `refused`, its item None) raises `BatchInvalid` naming every
    item at fault, and nothing is written."""
    batch = Batch(items, refused)
    problems = batch.problems
    personas = by_code(Persona, "code")
    named = batch.values("account_external_id")
    accounts = {account.external_id: account for account in Account.objects.filter(external_id__in=named)}
    plans = [_plan(index, item, personas, accounts, problems) for index, item in batch.items]
    existing = rows_by_external_id(Contact, batch.external_ids)
    changes = plan_changes(Contact, plans, existing, problems, names=NAMES, check=_required)
    _check_emails(changes, problems)
    problems.raise_any()
    _free_emails(changes)
    results = write_changes(changes)
    ParticipationPreferences.objects.bulk_create(
        [ParticipationPreferences(contact=contact) for contact in changes.created]
    )
    return results


def _plan(
    index: int,
    item: Mapping[str, Any],
    personas: Mapping[str, Persona],
    accounts: Mapping[str, Account],
    problems: Problems,
) -> Plan:
    values = {name: item[name] for name in PLAIN if name in item}
    if "persona" in item:
        persona = personas.get(item["persona"].casefold())
        if persona is None:
            problems.add(index, "persona", f"“{item['persona']}” is not a persona's code in use.")
        else:
            values["persona"] = persona
    if "account_external_id" in item:
        account = accounts.get(item["account_external_id"])
        if account is None:
            message = (
                f"No account has the external id “{item['account_external_id']}”: send the account first."
            )
            problems.add(index, "account_external_id", message)
        else:
            values["account"] = account
    return Plan(index, item["external_id"], values, given=frozenset(item))


def _required(row: Contact, plan: Plan) -> list[tuple[str, str]]:
    return missing(row, plan, REQUIRED, "Required to create a contact.")


def _free_emails(changes: Changes) -> None:
    """The batch's contacts whose email changes let go of the old one first (a placeholder unique
    to each, which the update then replaces), so that a batch may hand an email from one contact
    to another of the account, or swap two: the unique index is checked row by row as the update
    runs, and would refuse what `_check_emails` found right. One query, when any email changes."""
    moving = [row.pk for row, changed in changes.updated if "email" in changed]
    if moving:
        placeholder = Concat(Value("crm-moving-"), Cast("pk", CharField()), Value("@rms.invalid"))
        Contact.objects.filter(pk__in=moving).update(email=placeholder)


def _check_emails(changes: Changes, problems: Problems) -> None:
    """No two contacts of one account with the same email (case aside), the batch's among
    themselves and with the account's other contacts: one query."""
    batch = [(plan, row) for plan, row in changes.rows if row.account_id and row.email]
    accounts = {row.account_id for _plan, row in batch}
    others = (
        Contact.objects.filter(account_id__in=accounts)
        .exclude(pk__in=[row.pk for _plan, row in batch if row.pk])
        .annotate(email_folded=Lower("email"))
        .values_list("account_id", "email_folded")
    )
    taken = set(others) if accounts else set()
    for plan, row in batch:
        key = (row.account_id, row.email.casefold())
        if key in taken:
            problems.add(plan.index, "email", "Another contact of this account has this email.")
        taken.add(key)

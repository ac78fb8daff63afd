"""The CRM's deals, upserted by external id: the figures of program value (influenced revenue,
win rates) are read from their outcome, close date and amount, so the CRM keeps them true.

An item sets the fields it names; those it leaves out keep their values. The stage follows the
sales portal's rule (`requests_app.deals`): won or lost closes the deal, whatever stage the item
names; an open deal cannot be at the closed stage. The CRM hands a deal to another owner by
naming them (a sales rep or reference manager, by email); the deal team is RMS's own. The day
the deal opened (`opened_on`, optional) starts its sales cycle and falls on or before its close
date.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from core.errors import InvalidInput
from integrations.crm.common import (
    Batch,
    ItemResult,
    Plan,
    Problems,
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
from references.models import Country, Industry, Opportunity, Product, SizeBand
from requests_app.deals import check_opened_on, check_stage_and_outcome

NAMES = {"owner": "owner_email"}
REQUIRED = ("prospect_name", "industry", "country", "amount", "currency", "close_date", "owner_email")
PLAIN = ("prospect_name", "amount", "currency", "stage", "close_date", "opened_on", "outcome")


class Lookups:
    """What a batch of deals names, read once: the taxonomies and the owners."""

    def __init__(self, batch: Batch):
        self.industries = by_code(Industry, "naics_code")
        self.countries = by_code(Country, "code")
        self.size_bands = by_code(SizeBand, "name")
        self.products = by_code(Product, "name")
        self.owners = owners_by_email(batch.values("owner_email"))


@transaction.atomic
def opportunities_upsert(
    *, items: Sequence[Mapping[str, Any] | None], refused: Mapping[int, Mapping] | None = None
) -> list[ItemResult]:
    """Create or update the deals of a batch by external id, all or nothing: a problem in any
    item (or one the caller found, `refused`, its item None) raises `BatchInvalid` naming every
    item at fault, and nothing is written."""
    batch = Batch(items, refused)
    problems = batch.problems
    lookups = Lookups(batch)
    existing = rows_by_external_id(Opportunity, batch.external_ids)
    plans = [
        _plan(index, item, existing.get(item["external_id"]), lookups, problems)
        for index, item in batch.items
    ]
    changes = plan_changes(Opportunity, plans, existing, problems, names=NAMES, check=_required)
    problems.raise_any()
    return write_changes(changes)


def _plan(
    index: int, item: Mapping[str, Any], deal: Opportunity | None, lookups: Lookups, problems: Problems
) -> Plan:
    values = {name: item[name] for name in PLAIN if name in item}
    for check in (check_stage_and_outcome, check_opened_on):
        try:
            check(deal or Opportunity(), values)
        except InvalidInput as refusal:
            problems.add(index, refusal.field or "stage", refusal.message)
    for name, known, what in (
        ("industry", lookups.industries, "an industry's NAICS code"),
        ("country", lookups.countries, "a country's ISO 3166 code"),
    ):
        if name in item:
            pick(values, problems, index, name, item[name], known, what)
    if "size_band" in item:  # a deal's size band may be unknown (null)
        if item["size_band"] is None:
            values["size_band"] = None
        else:
            pick(
                values,
                problems,
                index,
                "size_band",
                item["size_band"],
                lookups.size_bands,
                "a size band's name",
            )
    if "owner_email" in item:
        pick_owner(values, problems, index, item["owner_email"], lookups.owners)
    many = {}
    if "products" in item:
        many["products"] = pick_many(
            problems, index, "products", item["products"], lookups.products, "one of the products"
        )
    return Plan(index, item["external_id"], values, many, frozenset(item))


def _required(row: Opportunity, plan: Plan) -> list[tuple[str, str]]:
    return missing(row, plan, REQUIRED, "Required to create a deal.")

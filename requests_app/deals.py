"""Writes of a sales rep's deals: adding one, and editing it in the sales portal.

Who may change what (the admin is no longer open to reps):
- the owner changes every field of their deal but its owner and its team (the CRM, or a manager in
  the admin, hands a deal over or staffs it), including its outcome: won or lost closes it;
- a deal-team member moves an open deal along: its stage and expected close date, nothing else;
- anyone else may not touch it (the portal answers 404: they cannot see it either).

Each function validates before it writes, writes in one transaction and refuses with
`core.errors.InvalidInput(field=…)` naming the input at fault.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dates import OUT_OF_RANGE, in_range
from core.errors import InvalidInput, NotAllowed
from references.models import Country, Industry, Opportunity, Product, SizeBand

# What the owner may change (never `owner` or `team`), and what a deal-team member may.
OWNER_FIELDS = frozenset(
    {
        "prospect_name",
        "industry",
        "country",
        "size_band",
        "products",
        "amount",
        "currency",
        "stage",
        "close_date",
        "opened_on",
        "outcome",
        "external_id",
    }
)
TEAM_FIELDS = frozenset({"stage", "close_date"})


def opportunity_create(
    *,
    owner: User,
    prospect_name: str,
    industry: Industry,
    country: Country,
    amount: Decimal,
    currency: str,
    stage: str,
    close_date: date,
    external_id: str | None = None,
    size_band: SizeBand | None = None,
    products: Sequence[Product] = (),
    opened_on: date | None = None,
) -> Opportunity:
    """Add a deal the rep is working on (when it is not mirrored from the CRM yet)."""
    values = _checked(
        {
            "prospect_name": prospect_name,
            "amount": amount,
            "currency": currency,
            "stage": stage,
            "close_date": close_date,
            "opened_on": opened_on,
            "external_id": external_id,
        }
    )
    check_opened_on(Opportunity(), values)
    if values["stage"] == Opportunity.Stage.CLOSED:
        raise InvalidInput("Choose the deal's current stage.", field="stage")
    _check_close_date(values["close_date"])
    with _crm_id_unique(values["external_id"]), transaction.atomic():
        opportunity = Opportunity.objects.create(
            owner=owner, industry=industry, country=country, size_band=size_band, **values
        )
        opportunity.products.set(products)
    return opportunity


def opportunity_update(*, opportunity: Opportunity, actor: User, **changes: Any) -> Opportunity:
    """Change a deal as its owner or a deal-team member may (see the module's docstring); returns
    the deal as saved. Fields not given keep their values."""
    with transaction.atomic():
        deal = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        _check_may_change(deal, actor, set(changes))
        products = changes.pop("products", None)
        values = _checked(changes)
        check_stage_and_outcome(deal, values)
        check_opened_on(deal, values)
        if "close_date" in values and values["close_date"] != deal.close_date and _is_open(deal, values):
            _check_close_date(values["close_date"])
        for name, value in values.items():
            setattr(deal, name, value)
        with _crm_id_unique(values.get("external_id"), deal=deal), transaction.atomic():
            deal.save()
            if products is not None:
                deal.products.set(products)
    return deal


def editable_fields(deal: Opportunity, user: User) -> frozenset[str]:
    """The fields of `deal` that `user` may change (none: they may not edit it)."""
    if deal.owner_id == user.pk:
        return OWNER_FIELDS
    if deal.is_open and deal.team.filter(pk=user.pk).exists():
        return TEAM_FIELDS
    return frozenset()


def _check_may_change(deal: Opportunity, actor: User, fields: set[str]) -> None:
    allowed = editable_fields(deal, actor)
    if not allowed:
        raise NotAllowed("Only the deal's owner changes it, and its team while it is open.")
    refused = sorted(fields - allowed)
    if refused:
        raise NotAllowed(f"You may not change the deal's {refused[0].replace('_', ' ')}.", field=refused[0])


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """The given values cleaned (trimmed, upper-cased), each checked by the rule of its field."""
    values = dict(values)
    if "prospect_name" in values:
        values["prospect_name"] = (values["prospect_name"] or "").strip()
        if not values["prospect_name"]:
            raise InvalidInput("Give the prospect's name.", field="prospect_name")
    if "amount" in values and (values["amount"] is None or values["amount"] < 0):
        raise InvalidInput("The amount cannot be negative.", field="amount")
    if "currency" in values:
        values["currency"] = (values["currency"] or "").strip().upper()
        if pycountry.currencies.get(alpha_3=values["currency"]) is None:
            message = f"“{values['currency']}” is not a currency code (like USD or EUR)."
            raise InvalidInput(message, field="currency")
    if "stage" in values and values["stage"] not in Opportunity.Stage.values:
        raise InvalidInput("Choose the deal's current stage.", field="stage")
    if "outcome" in values and values["outcome"] not in Opportunity.Outcome.values:
        raise InvalidInput("Choose open, won or lost.", field="outcome")
    if "close_date" in values and values["close_date"] is None:
        raise InvalidInput("Give the expected close date.", field="close_date")
    if "external_id" in values:
        values["external_id"] = (values["external_id"] or "").strip() or None
    return values


def _is_open(deal: Opportunity, values: dict[str, Any]) -> bool:
    return values.get("outcome", deal.outcome) == Opportunity.Outcome.OPEN


def check_stage_and_outcome(deal: Opportunity, values: dict[str, Any]) -> None:
    """Won or lost closes the deal; an open deal is at a stage before closing."""
    if not _is_open(deal, values):
        values["stage"] = Opportunity.Stage.CLOSED
    elif values.get("stage", deal.stage) == Opportunity.Stage.CLOSED:
        raise InvalidInput(
            "An open deal is not closed yet: choose its stage, or mark it won or lost.", field="stage"
        )


def check_opened_on(deal: Opportunity, values: dict[str, Any]) -> None:
    """A deal opens on or before its close date (the sales cycle runs from one to the other).
    The field named is the one given: the opening day, else the close date that moved."""
    opened = values.get("opened_on", deal.opened_on)
    closes = values.get("close_date", deal.close_date)
    if opened is None or closes is None or opened <= closes:
        return
    field = "opened_on" if "opened_on" in values else "close_date"
    raise InvalidInput("A deal opens on or before its close date.", field=field)


def _check_close_date(close_date: date) -> None:
    if close_date < timezone.localdate():
        raise InvalidInput("The expected close date cannot be in the past.", field="close_date")
    if not in_range(close_date):
        raise InvalidInput(OUT_OF_RANGE, field="close_date")


@contextmanager
def _crm_id_unique(external_id: str | None, *, deal: Opportunity | None = None) -> Iterator[None]:
    """Refuse a CRM id another deal has: checked first, and again by the database's unique index
    around the write (someone may save the same id between the check and the write)."""
    taken = InvalidInput(f"A deal with CRM id “{external_id}” already exists.", field="external_id")
    others = Opportunity.objects.filter(external_id=external_id)
    if deal is not None:
        others = others.exclude(pk=deal.pk)
    if external_id and others.exists():
        raise taken
    try:
        yield
    except IntegrityError:
        raise taken from None

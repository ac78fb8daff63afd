"""Deal amounts in one currency, so that deals in different currencies compare and add up."""

from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from references.models import CurrencyRate

BASE_CURRENCY = "USD"


def amount_in_usd(opportunity: str = ""):
    """The amount of the deal at `opportunity` (a relation path; "" for the Opportunity itself)
    in US dollars, as an expression; NULL for a currency without a rate (CurrencyRate)."""
    prefix = f"{opportunity}__" if opportunity else ""
    return ExpressionWrapper(
        F(f"{prefix}amount") / usd_rate(f"{prefix}currency"),
        output_field=DecimalField(max_digits=24, decimal_places=6),
    )


def usd_rate(currency: str = "currency"):
    """Units of the currency at `currency` (a field path) per US dollar, as an expression: its
    CurrencyRate, 1 for US dollars without one, else NULL."""
    per_usd = CurrencyRate.objects.filter(currency=OuterRef(currency)).values("per_usd")[:1]
    return Coalesce(Subquery(per_usd), Case(When(**{currency: BASE_CURRENCY}, then=Value(Decimal(1)))))


def totals_in_usd(deals: QuerySet, *group: str) -> dict[tuple, dict]:
    """Per value of the `group` fields of `deals` (Opportunity rows): {"usd", "deals",
    "unconverted"} as `amount_in_usd` would sum them. The database sums the amounts per group and
    currency, and only those few sums are divided by their rate here, rather than a rate looked up
    and a division made per deal."""
    rows = (
        deals.values(*group, "currency")
        .annotate(amount_sum=Sum("amount"), deal_count=Count("pk"), rate=usd_rate())
        .order_by()
    )
    totals: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[field] for field in group)
        total = totals.setdefault(key, {"usd": Decimal(0), "deals": 0, "unconverted": 0})
        if row["rate"] is None:
            total["unconverted"] += row["deal_count"]
        else:
            total["usd"] += row["amount_sum"] / row["rate"]
            total["deals"] += row["deal_count"]
    return totals


def total_in_usd(deals: QuerySet) -> dict:
    """{"usd", "deals", "unconverted"} of all of `deals` (totals_in_usd without groups)."""
    return totals_in_usd(deals).get((), {"usd": Decimal(0), "deals": 0, "unconverted": 0})

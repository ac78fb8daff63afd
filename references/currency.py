"""Deal amounts in one currency, so that deals in different currencies compare and add up."""

from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from references.models import CurrencyRate

BASE_CURRENCY = "USD"


def amount_in_usd(opportunity: str = ""):
    """The amount of the deal at `opportunity` (a relation path; "" for the Opportunity itself)
    in US dollars, as an expression; NULL for a currency without a rate (CurrencyRate)."""
    prefix = f"{opportunity}__" if opportunity else ""
    currency = f"{prefix}currency"
    per_usd = CurrencyRate.objects.filter(currency=OuterRef(currency)).values("per_usd")[:1]
    rate = Coalesce(Subquery(per_usd), Case(When(**{currency: BASE_CURRENCY}, then=Value(Decimal(1)))))
    return ExpressionWrapper(
        F(f"{prefix}amount") / rate, output_field=DecimalField(max_digits=24, decimal_places=6)
    )

"""ISO 4217 currency codes: a deal's or an account's currency is one of them (the CRM sends
codes, and a typo would make a deal's size impossible to compare)."""

import pycountry
from django.core.exceptions import ValidationError

CURRENCY_CODES = frozenset(currency.alpha_3 for currency in pycountry.currencies)


def validate_currency_code(value: str) -> None:
    if value not in CURRENCY_CODES:
        raise ValidationError(
            "“%(value)s” is not an ISO 4217 currency code (three capital letters, like EUR).",
            code="invalid_currency",
            params={"value": value},
        )

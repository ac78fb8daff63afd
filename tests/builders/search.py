"""Builders for search tests: references (an account with one contact) and the index over them;
what search must never show a rep."""

from datetime import date

from limits.usage import usage_recompute
from matching.indexing import search_index_rebuild
from references.models import Contact, Product, Region, UseCase
from tests.builders import catalogue as factories


def product(name: str) -> Product:
    return Product.objects.get(name=name)


def use_case(name: str) -> UseCase:
    return UseCase.objects.get(name=name)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_reference(
    owner,
    *,
    name: str | None = None,
    industry: str = "52",
    country: str = "US",
    size: int = 2,
    persona: str = "executive",
    products: tuple[str, ...] = (),
    use_cases: tuple[str, ...] = (),
    activity_types: tuple[str, ...] = ("reference_call",),
    contact_status: str = "active",
    prefs: dict | None = None,
    story: str = "",
    **account_fields,
) -> Contact:
    """An account with one contact, both usable as a reference unless told otherwise."""
    account = factories.make_account(
        owner,
        **({"name": name} if name else {}),
        industry=factories.industry(industry),
        country=factories.country(country),
        size_band=factories.size_band(size),
        products=[product(p) for p in products],
        reference_story=story,
        **account_fields,
    )
    if use_cases:
        account.use_cases.set([use_case(u) for u in use_cases])
    return factories.make_contact(
        account,
        persona=factories.persona(persona),
        activity_types=activity_types,
        status=contact_status,
        prefs=prefs,
    )


def index(today: date | None = None):
    """Count every contact's usage and rebuild the search index from the catalogue (what the
    periodic jobs keep up to date): search reads availability from the usage the limits job stores."""
    usage_recompute(today=today)
    return search_index_rebuild()


def contact_secrets(*contacts) -> list[str]:
    """The strings that must never reach a rep before approval: every email and phone."""
    secrets = []
    for contact in contacts:
        secrets += [contact.email, contact.phone]
    return [s for s in secrets if s]

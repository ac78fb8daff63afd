"""A hand-built program whose supply and demand are known (tests/insights/test_supply.py lists
the figures): Finance (52) in North America asks more than it has, Manufacturing (31) in EMEA has
more than it asks, and each edge case of the counting is one row."""

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from limits.models import ContactUsage, UsageState
from references.models import Account, DealOutcome, Industry, Opportunity, Product, Region
from references.statuses import ReferenceStatus
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import make_campaign_request, make_request
from tests.builders.search import product

OLD_DAYS = 245  # eight months ago: outside a six-month window, inside a twelve-month one


@dataclass(frozen=True)
class Taxonomies:
    bank: Industry
    maker: Industry
    analytics: Product
    identity: Product
    observability: Product
    north_america: Region
    emea: Region


def taxonomies() -> Taxonomies:
    us, de = factories.country("US"), factories.country("DE")
    return Taxonomies(
        bank=factories.industry("52"),
        maker=factories.industry("31"),
        analytics=product("Analytics Cloud"),
        identity=product("Identity & Access"),
        observability=product("Observability Suite"),
        north_america=us.region,
        emea=de.region,
    )


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def _deal(owner, t: Taxonomies, *, bank: bool, products, country="") -> Opportunity:
    """A bank deal in the US or a maker's deal in Germany (unless `country` says otherwise)."""
    return factories.make_opportunity(
        owner,
        industry=t.bank if bank else t.maker,
        country=factories.country(country or ("US" if bank else "DE")),
        products=products,
    )


def _age(deal: Opportunity, days: int, opened_days: int | None = None) -> None:
    today = timezone.localdate()
    opened = today - timedelta(days=opened_days) if opened_days is not None else None
    Opportunity.objects.filter(pk=deal.pk).update(created_at=_days_ago(days), opened_on=opened)


def _supply(owner, sales_rep, t: Taxonomies) -> SimpleNamespace:
    """Bank (US, Analytics Cloud): two references free (one without usage, one with slots left),
    one resting, one full, one opted out, one a candidate; an at-risk bank account (Analytics Cloud
    and Identity & Access) whose active reference does not count. Maker (DE, Observability Suite,
    owned by `sales_rep`): two free, one of them willing to host site visits."""
    bank = factories.make_account(
        owner, industry=t.bank, country=factories.country("US"), products=[t.analytics]
    )
    at_risk = factories.make_account(
        owner,
        industry=t.bank,
        country=factories.country("US"),
        products=[t.analytics, t.identity],
        at_risk=True,
    )
    maker = factories.make_account(
        sales_rep, industry=t.maker, country=factories.country("DE"), products=[t.observability]
    )
    refs = SimpleNamespace(
        free=factories.make_contact(bank),
        some_used=factories.make_contact(bank),
        resting=factories.make_contact(bank, status=ReferenceStatus.RESTING),
        full=factories.make_contact(bank),
        opted_out=factories.make_contact(bank, prefs={"opted_out": True, "opted_out_at": timezone.now()}),
        candidate=factories.make_contact(bank, status=ReferenceStatus.CANDIDATE),
        at_risk=factories.make_contact(at_risk),
        maker_calls=factories.make_contact(maker),
        maker_visits=factories.make_contact(maker, activity_types=("reference_call", "site_visit")),
    )
    ContactUsage.objects.create(contact=refs.some_used, account=bank, used=1, slots_left=2)
    ContactUsage.objects.create(
        contact=refs.full,
        account=bank,
        used=4,
        slots_left=0,
        state=UsageState.LIMITED,
        limit_code="contact_window",
    )
    return refs


def make_supply_world(*, sales_rep, other_rep, manager, account_owner) -> SimpleNamespace:
    """The program of the module docstring; returns its taxonomies, deals, requests and references."""
    t = taxonomies()
    # The candidate every request names, at an account that has since defected (no supply).
    pool_account = factories.make_account(
        account_owner, industry=factories.industry("11"), country=factories.country("JP")
    )
    pool = factories.make_contact(
        pool_account, activity_types=("reference_call", "site_visit", "press_interview")
    )

    two_products = _deal(sales_rep, t, bank=True, products=[t.analytics, t.identity])
    # Won and lost after their requests were made (a request is for an open deal).
    won = _deal(sales_rep, t, bank=True, products=[t.analytics])
    lost = _deal(other_rep, t, bank=False, products=[t.observability])
    opened_lately = _deal(other_rep, t, bank=False, products=[t.observability])
    _age(opened_lately, OLD_DAYS, opened_days=42)  # six weeks ago
    old_open = _deal(other_rep, t, bank=False, products=[t.observability])
    _age(old_open, OLD_DAYS, opened_days=OLD_DAYS)
    no_product = _deal(other_rep, t, bank=True, products=[], country="DE")

    visit = make_request(sales_rep, pool, code="site_visit", opportunity=two_products)
    call_won = make_request(sales_rep, pool, opportunity=won)
    call_old = make_request(other_rep, pool, opportunity=lost)
    ReferenceRequest.objects.filter(pk=call_old.pk).update(created_at=_days_ago(215))
    campaign = make_campaign_request(manager, pool)
    Opportunity.objects.filter(pk=won.pk).update(outcome=DealOutcome.WON)
    Opportunity.objects.filter(pk=lost.pk).update(outcome=DealOutcome.LOST)
    Account.objects.filter(pk=pool_account.pk).update(status=ReferenceStatus.DEFECTED)

    return SimpleNamespace(
        t=t,
        refs=_supply(account_owner, sales_rep, t),
        deals=SimpleNamespace(
            two_products=two_products,
            won=won,
            lost=lost,
            opened_lately=opened_lately,
            old_open=old_open,
            no_product=no_product,
        ),
        requests=SimpleNamespace(visit=visit, call_won=call_won, call_old=call_old, campaign=campaign),
    )

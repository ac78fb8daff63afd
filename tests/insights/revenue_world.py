"""A hand-built program whose revenue figures are known, shared by the domain and page tests.

Range: 1 Jan – 30 Jun 2026. EUR at 0.8 per USD; GBP has no rate. References: Alice (account
Acme) and Bob (account Bolt). Deals (owner Sally unless said; industry 52, US):

- D1 won, 100,000 USD, closes 31 Mar, opened 31 Jan (59 d): two calls by Alice, a site visit by
  Bob and a content use. With references. Sells Analytics Cloud.
- D2 won, 80,000 EUR = 100,000 USD, 30 Apr, opened 1 Apr (29 d): a call by Alice ON the close
  date. With references. Oscar's deal (team North), industry 31.
- D3 won, 50,000 USD, 15 May, opened 5 May (10 d): a call by Bob the day AFTER the close. Without.
- D4 won, 30,000 GBP (no rate), 15 Feb, opened 5 Feb (10 d): a call by Alice. With (unconverted).
- D5 lost, 70,000 USD, 1 Jun, opened 2 May (30 d): a site visit by Bob. With references.
- D6 lost, 20,000 USD, 1 Mar, no opening date, created 30 Jan (30 d): nothing. Without.
- D7 won, 40,000 USD, 15 Jul (out of range): a call by Alice.
- D8 open, 60,000 USD, 30 Jun: a call by Alice.
- D9 won, 10,000 USD, 15 Jun, opened 5 Jun (10 d): a content use on 5 Jun. With references. A
  German prospect (EMEA).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from insights import facts
from insights.models import Team
from insights.segments import Segment
from marketing.models import AssetUse
from references.models import ActivityType, CurrencyRate, DealOutcome, Opportunity, Region
from tests.builders.catalogue import (
    country,
    industry,
    make_account,
    make_activity,
    make_contact,
    make_opportunity,
)
from tests.builders.library import make_asset, make_use
from tests.builders.search import product

START, END = date(2026, 1, 1), date(2026, 6, 30)
WON, LOST = DealOutcome.WON, DealOutcome.LOST


@dataclass
class World:
    deals: dict
    alice: object
    bob: object
    team: Team

    def segment(self, **filters) -> Segment:
        return Segment(START, END, **filters)

    @staticmethod
    def type_id(code: str) -> int:
        return ActivityType.objects.get(code=code).pk

    @staticmethod
    def region_id(code: str) -> int:
        return Region.objects.get(code=code).pk


def _deal(owner, name, outcome, amount, close, opened=None, currency="USD", **fields):
    stage = Opportunity.Stage.CLOSED if outcome != DealOutcome.OPEN else Opportunity.Stage.PROPOSAL
    return make_opportunity(
        owner,
        prospect_name=name,
        outcome=outcome,
        stage=stage,
        amount=Decimal(amount),
        currency=currency,
        close_date=close,
        opened_on=opened,
        **fields,
    )


def _activity(contact, day, deal, code="reference_call"):
    make_activity(contact, day, code).opportunities.add(deal)


def _used(asset, user, deal, day):
    use = make_use(asset, user, opportunity=deal)
    AssetUse.objects.filter(pk=use.pk).update(used_at=datetime.combine(day, time(12), tzinfo=UTC))


def build(sales_rep, other_rep, account_owner, marketer) -> World:
    CurrencyRate.objects.create(currency="EUR", per_usd=Decimal("0.8"))
    alice = make_contact(make_account(account_owner, name="Acme"), first_name="Alice", last_name="Able")
    bob = make_contact(make_account(account_owner, name="Bolt"), first_name="Bob", last_name="Baker")
    d = {
        "D1": _deal(sales_rep, "D1", WON, 100000, date(2026, 3, 31), date(2026, 1, 31)),
        "D2": _deal(
            other_rep, "D2", WON, 80000, date(2026, 4, 30), date(2026, 4, 1), "EUR", industry=industry("31")
        ),
        "D3": _deal(sales_rep, "D3", WON, 50000, date(2026, 5, 15), date(2026, 5, 5)),
        "D4": _deal(sales_rep, "D4", WON, 30000, date(2026, 2, 15), date(2026, 2, 5), "GBP"),
        "D5": _deal(sales_rep, "D5", LOST, 70000, date(2026, 6, 1), date(2026, 5, 2)),
        "D6": _deal(sales_rep, "D6", LOST, 20000, date(2026, 3, 1)),
        "D7": _deal(sales_rep, "D7", WON, 40000, date(2026, 7, 15), date(2026, 7, 1)),
        "D8": _deal(sales_rep, "D8", DealOutcome.OPEN, 60000, date(2026, 6, 30)),
        "D9": _deal(sales_rep, "D9", WON, 10000, date(2026, 6, 15), date(2026, 6, 5), country=country("DE")),
    }
    d["D1"].products.set([product("Analytics Cloud")])
    created = datetime.combine(date(2026, 1, 30), time(12), tzinfo=UTC)
    Opportunity.objects.filter(pk=d["D6"].pk).update(created_at=created)
    _activity(alice, date(2026, 3, 1), d["D1"])
    _activity(alice, date(2026, 3, 10), d["D1"])
    _activity(bob, date(2026, 3, 20), d["D1"], "site_visit")
    _activity(alice, date(2026, 4, 30), d["D2"])
    _activity(bob, date(2026, 5, 16), d["D3"])
    _activity(alice, date(2026, 2, 1), d["D4"])
    _activity(bob, date(2026, 5, 1), d["D5"], "site_visit")
    _activity(alice, date(2026, 7, 1), d["D7"])
    _activity(alice, date(2026, 6, 1), d["D8"])
    asset = make_asset(marketer)
    _used(asset, sales_rep, d["D1"], date(2026, 3, 5))
    _used(asset, sales_rep, d["D9"], date(2026, 6, 5))
    team = Team.objects.create(name="North")
    team.members.add(other_rep)
    facts.refresh()  # as beat does: the figures read the facts of the last refresh
    return World(d, alice, bob, team)

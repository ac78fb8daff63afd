"""Revenue figures (insights.revenue) on the hand-built program of tests/insights/revenue_world.py."""

from datetime import date
from decimal import Decimal

import pytest

from insights import facts, revenue
from insights.models import Team
from references.models import CurrencyRate, DealOutcome, Industry, Opportunity, Product
from tests.builders.catalogue import make_activity, make_opportunity
from tests.insights.revenue_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sales_rep, other_rep, account_owner, marketer):
    return build(sales_rep, other_rep, account_owner, marketer)


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _types(rows) -> dict:
    return {row["name"]: (_money(row["usd"]), row["deals"], row["unconverted"]) for row in rows}


def test_influenced_revenue_counts_each_deal_once_in_usd(world):
    # D1 (several activities and a content use, once), D2 (EUR, an activity ON the close date),
    # D9 (content only); D4 in GBP is left out and counted apart; D3's call came after its close.
    figures = revenue.summary(world.segment())

    assert (_money(figures["usd"]), figures["deals"], figures["unconverted"]) == (_money(210000), 3, 1)


def test_per_activity_type_rows_overlap_and_content_has_its_own(world):
    rows = revenue.by_activity_type(world.segment())

    assert _types(rows) == {"Reference call": (_money(200000), 2, 1), "Site visit": (_money(100000), 1, 0)}
    assert [row["name"] for row in rows] == ["Reference call", "Site visit"]
    content = revenue.content_row(world.segment())
    assert (_money(content["usd"]), content["deals"], content["unconverted"]) == (_money(110000), 2, 0)


def test_top_references_count_a_shared_deal_for_each(world):
    rows = revenue.top_references(world.segment())

    assert [
        (row["name"], row["account"], _money(row["usd"]), row["deals"], row["unconverted"]) for row in rows
    ] == [
        ("Alice Able", "Acme", _money(200000), 2, 1),
        ("Bob Baker", "Bolt", _money(100000), 1, 0),
    ]
    assert rows[0]["contact"] == world.alice.pk
    assert len(revenue.top_references(world.segment(), limit=1)) == 1


def test_win_rate_and_cycle_with_references_against_without(world):
    rates = revenue.win_rates(world.segment())

    # With: D1 59 d, D2 29, D4 10, D9 10 won; D5 30 lost. Without: D3 10 won; D6 30 lost
    # (opened unknown: from the day RMS saw it, 30 Jan).
    assert rates[True] == {
        "won": 4,
        "lost": 1,
        "total": 5,
        "win_rate": 80.0,
        "median_days": 29.0,
        "mean_days": pytest.approx(27.6),
    }
    assert rates[False] == {
        "won": 1,
        "lost": 1,
        "total": 2,
        "win_rate": 50.0,
        "median_days": 20.0,
        "mean_days": pytest.approx(20.0),
    }


def test_revenue_per_close_month(world):
    rows = revenue.by_month(world.segment())

    assert [(row["month"], _money(row["usd"]), row["deals"], row["unconverted"]) for row in rows] == [
        (date(2026, 2, 1), _money(0), 0, 1),
        (date(2026, 3, 1), _money(100000), 1, 0),
        (date(2026, 4, 1), _money(100000), 1, 0),
        (date(2026, 6, 1), _money(10000), 1, 0),
    ]


def test_an_activity_type_filter_reads_only_that_type_and_drops_content(world):
    segment = world.segment(activity_type=world.type_id("site_visit"))

    assert _money(revenue.summary(segment)["usd"]) == _money(100000)
    assert _types(revenue.by_activity_type(segment)) == {"Site visit": (_money(100000), 1, 0)}
    assert revenue.content_row(segment) is None
    assert [row["name"] for row in revenue.top_references(segment)] == ["Bob Baker"]
    rates = revenue.win_rates(segment)
    assert (rates[True]["won"], rates[True]["lost"]) == (1, 1)  # D1; D5
    assert (rates[False]["won"], rates[False]["lost"]) == (4, 1)  # D2 D3 D4 D9; D6


def test_an_activity_type_filter_does_not_hide_a_later_link_of_that_type(world, sales_rep):
    # Alice visits D10 first, then calls: read for calls only, her call is D10's first link.
    deal = make_opportunity(
        sales_rep,
        outcome=DealOutcome.WON,
        stage=Opportunity.Stage.CLOSED,
        amount=Decimal(5000),
        close_date=date(2026, 6, 20),
    )
    make_activity(world.alice, date(2026, 6, 1), "site_visit").opportunities.add(deal)
    make_activity(world.alice, date(2026, 6, 2)).opportunities.add(deal)
    facts.refresh()
    segment = world.segment(activity_type=world.type_id("reference_call"))

    assert [(row["name"], _money(row["usd"]), row["deals"]) for row in revenue.top_references(segment)] == [
        ("Alice Able", _money(205000), 3)
    ]


@pytest.mark.parametrize(
    ("filters", "usd"),
    [
        ({"industry": "52"}, 110000),  # D2 is industry 31
        ({"product": "Analytics Cloud"}, 100000),  # D1 only
        ({"region": "EMEA"}, 10000),  # D9, a German prospect
        ({"team": "North"}, 100000),  # Oscar's D2
    ],
)
def test_segment_filters_change_the_figures(world, filters, usd):
    ids = {
        "industry": lambda v: Industry.objects.get(naics_code=v).pk,
        "product": lambda v: Product.objects.get(name=v).pk,
        "region": world.region_id,
        "team": lambda v: Team.objects.get(name=v).pk,
    }
    segment = world.segment(**{name: ids[name](value) for name, value in filters.items()})

    assert _money(revenue.summary(segment)["usd"]) == _money(usd)
    assert sum(_money(row["usd"]) for row in revenue.by_month(segment)) == _money(usd)


def test_the_rates_latest_update_is_read(world):
    assert revenue.rates_updated() == CurrencyRate.objects.get(currency="EUR").updated_at


def test_a_deal_first_seen_after_it_closed_has_no_cycle(world, sales_rep):
    """An imported history: a deal RMS first saw after its close, with no opening date from the
    CRM, counts in the win rate but not in the cycle (it would read negative)."""
    before = revenue.win_rates(world.segment())[False]
    deal = make_opportunity(
        sales_rep, prospect_name="Imported Ltd", outcome=DealOutcome.LOST, close_date=date(2026, 1, 20)
    )
    Opportunity.objects.filter(pk=deal.pk).update(opened_on=None)
    facts.refresh()

    after = revenue.win_rates(world.segment())[False]

    assert (after["lost"], after["total"]) == (before["lost"] + 1, before["total"] + 1)
    assert (after["median_days"], after["mean_days"]) == (before["median_days"], before["mean_days"])

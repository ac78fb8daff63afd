"""Supply against demand, asserted exactly on the hand-built program of tests/builders/supply.py.

Over six months the cells with demand are:
- Finance · Identity & Access · North America: the two-product deal's request and the deal itself,
  no reference free (the only bank account with that product is at risk): shortfall 2;
- Finance · Analytics Cloud · North America: the same request and deal again (a deal with two
  products counts in each product's cell), plus a request on a won deal (a won deal is no demand
  itself); two references free (one without usage, one with slots left; the resting, full,
  opted-out and candidate ones don't count): shortfall 1;
- Manufacturing · Observability Suite · EMEA: an open deal created long ago but opened lately;
  two references free: shortfall −1.
Left out: a request eight months old, an open deal created and opened eight months ago, a lost
deal; a campaign request and a deal without a product are counted apart.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights.models import Team
from insights.segments import Segment
from insights.supply import GAP_ROWS, supply_and_demand
from references.models import Industry, Product
from tests.builders import catalogue as factories
from tests.builders.supply import make_supply_world

pytestmark = pytest.mark.django_db

FINANCE, MAKERS = "Finance and Insurance", "Manufacturing"
NA, EMEA = "North America", "Europe, Middle East and Africa"


@pytest.fixture
def world(sales_rep, other_rep, manager, account_owner):
    return make_supply_world(
        sales_rep=sales_rep, other_rep=other_rep, manager=manager, account_owner=account_owner
    )


def _segment(**filters) -> Segment:
    # The range is ignored by this figure: a far one proves it.
    return Segment(date(2001, 1, 1), date(2001, 1, 31), **filters)


def _gaps(result) -> list[tuple]:
    return [(cell.label, cell.requests, cell.deals, cell.supply, cell.shortfall) for cell in result.gaps]


def _totals(rows) -> list[tuple]:
    return [(row.name, row.requests, row.deals, row.supply, row.shortfall) for row in rows]


def test_the_gap_table_and_totals_over_six_months(world):
    result = supply_and_demand(_segment())

    assert _gaps(result) == [
        (f"{FINANCE} · Identity & Access · {NA}", 1, 1, 0, 2),
        (f"{FINANCE} · Analytics Cloud · {NA}", 2, 1, 2, 1),
        (f"{MAKERS} · Observability Suite · {EMEA}", 0, 1, 2, -1),
    ]
    assert (result.cells_with_demand, result.cells_short) == (3, 2)
    assert (result.requests, result.deals, result.demand, result.supply) == (2, 3, 5, 4)
    assert (result.campaign_requests, result.without_product) == (1, 1)
    # The deal without a product counts by industry and region (Finance, in Germany).
    assert _totals(result.by_industry) == [(FINANCE, 2, 2, 2, 2), (MAKERS, 0, 1, 2, -1)]
    assert _totals(result.by_region) == [(NA, 2, 1, 2, 1), (EMEA, 0, 2, 2, 0)]
    assert result.gaps[0].industry == world.t.bank.pk
    assert (result.gaps[0].product, result.gaps[0].region) == (world.t.identity.pk, world.t.north_america.pk)


def test_a_longer_window_takes_in_the_older_request_and_deal(world):
    result = supply_and_demand(_segment(), months=12)

    assert _gaps(result) == [
        (f"{FINANCE} · Identity & Access · {NA}", 1, 1, 0, 2),
        # Shortfall 1 and demand 3 both: by name.
        (f"{FINANCE} · Analytics Cloud · {NA}", 2, 1, 2, 1),
        (f"{MAKERS} · Observability Suite · {EMEA}", 1, 2, 2, 1),
    ]
    assert (result.requests, result.deals) == (3, 4)


def test_one_month_leaves_out_the_deal_opened_six_weeks_ago(world):
    result = supply_and_demand(_segment(), months=1)

    assert [cell.label for cell in result.gaps] == [
        f"{FINANCE} · Identity & Access · {NA}",
        f"{FINANCE} · Analytics Cloud · {NA}",
    ]


def test_an_industry_narrows_both_sides_and_drops_campaigns(world):
    result = supply_and_demand(_segment(industry=world.t.bank.pk))

    assert _gaps(result) == [
        (f"{FINANCE} · Identity & Access · {NA}", 1, 1, 0, 2),
        (f"{FINANCE} · Analytics Cloud · {NA}", 2, 1, 2, 1),
    ]
    assert _totals(result.by_industry) == [(FINANCE, 2, 2, 2, 2)]
    assert result.campaign_requests == 0


def test_a_product_narrows_the_cells_and_the_totals(world):
    result = supply_and_demand(_segment(product=world.t.identity.pk))

    assert _gaps(result) == [(f"{FINANCE} · Identity & Access · {NA}", 1, 1, 0, 2)]
    assert _totals(result.by_industry) == [(FINANCE, 1, 1, 0, 2)]
    assert (result.without_product, result.campaign_requests) == (0, 0)


def test_a_region_narrows_to_its_cells(world):
    result = supply_and_demand(_segment(region=world.t.emea.pk))

    assert _gaps(result) == [(f"{MAKERS} · Observability Suite · {EMEA}", 0, 1, 2, -1)]
    assert _totals(result.by_region) == [(EMEA, 0, 2, 2, 0)]


def test_an_activity_type_counts_its_requests_and_the_willing_references(world):
    visits = factories.activity_type("site_visit")
    result = supply_and_demand(_segment(activity_type=visits.pk))

    # Open deals name no activity type: only the site-visit request is demand, in both its cells.
    assert _gaps(result) == [
        (f"{FINANCE} · Analytics Cloud · {NA}", 1, 0, 0, 1),
        (f"{FINANCE} · Identity & Access · {NA}", 1, 0, 0, 1),
    ]
    assert _totals(result.by_industry) == [(FINANCE, 1, 0, 0, 1), (MAKERS, 0, 0, 1, -1)]
    assert result.campaign_requests == 0


def test_a_team_reads_its_requests_deals_and_accounts(world, sales_rep):
    team = Team.objects.create(name="North")
    team.members.add(sales_rep)

    result = supply_and_demand(_segment(team=team.pk))

    assert _gaps(result) == [
        (f"{FINANCE} · Analytics Cloud · {NA}", 2, 1, 0, 3),
        (f"{FINANCE} · Identity & Access · {NA}", 1, 1, 0, 2),
    ]
    # The team's rep owns the maker account: its references are the team's supply.
    assert _totals(result.by_industry) == [(FINANCE, 2, 1, 0, 3), (MAKERS, 0, 0, 2, -2)]
    assert result.campaign_requests == 0  # made by a manager, not the team


def test_nothing_asked_is_an_empty_table(db):
    result = supply_and_demand(_segment())

    assert (result.gaps, result.by_industry, result.demand, result.supply) == ([], [], 0, 0)


def test_the_window_is_one_to_twenty_four_months():
    with pytest.raises(ValueError):
        supply_and_demand(_segment(), months=0)
    with pytest.raises(ValueError):
        supply_and_demand(_segment(), months=25)


def test_the_gap_table_keeps_the_largest_shortfalls(sales_rep, account_owner):
    # More cells than rows: every (industry, product) pair of one region, one request-free deal each.
    industries = list(Industry.objects.order_by("pk")[:4])
    products = list(Product.objects.order_by("pk")[:8])
    for industry in industries:
        for product in products:
            factories.make_opportunity(sales_rep, industry=industry, products=[product])
    factories.make_opportunity(sales_rep, industry=industries[0], products=[products[0]])

    result = supply_and_demand(_segment())

    assert len(result.gaps) == GAP_ROWS
    assert result.cells_with_demand == 32
    assert result.gaps[0].demand == 2


def test_the_queries_do_not_grow_with_the_rows(world, sales_rep, other_rep, manager, account_owner):
    def measure() -> int:
        with CaptureQueriesContext(connection) as seen:
            supply_and_demand(_segment())
        return len(seen.captured_queries)

    few = measure()
    make_supply_world(sales_rep=sales_rep, other_rep=other_rep, manager=manager, account_owner=account_owner)
    # One statement per side (requests, deals, references), per cell and per (industry, region).
    assert few == measure() == 3

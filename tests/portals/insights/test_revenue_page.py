"""The Revenue insights page, its exports and the deals list behind its figures, on the program of
tests/insights/revenue_world.py."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from insights import facts
from references.models import DealOutcome, Opportunity
from tests.builders.catalogue import make_activity, make_opportunity, make_user
from tests.insights.revenue_world import build

pytestmark = pytest.mark.django_db

RANGE = {"start": "2026-01-01", "end": "2026-06-30"}
PAGE = reverse("insights:home")
DEALS = reverse("insights:deals")
EXPORT = reverse("insights:export", args=["revenue", "by-activity-type", "csv"])


@pytest.fixture
def world(sales_rep, other_rep, account_owner, marketer):
    return build(sales_rep, other_rep, account_owner, marketer)


@pytest.fixture
def executive(db):
    return make_user("erin", Role.EXECUTIVE)


def _table(response, key):
    return next(table for table in response.context["view"].tables if table.key == key)


def _names(response) -> list[str]:
    return sorted(deal.prospect_name for deal in response.context["page"])


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_page_shows_the_figures(manager_client, world):
    response = manager_client.get(PAGE, RANGE)

    assert response.status_code == 200
    by_type = _table(response, "by-activity-type")
    assert [(row.cells[0], round(row.cells[1]), row.cells[2], row.cells[3]) for row in by_type.rows] == [
        ("Reference call", 200000, 2, 1),
        ("Site visit", 100000, 1, 0),
        ("Content (case studies, quotes…)", 110000, 2, 0),
    ]
    assert (round(by_type.footer.cells[1]), by_type.footer.cells[2], by_type.footer.cells[3]) == (
        210000,
        3,
        1,
    )
    top = _table(response, "top-references")
    assert [(row.cells[0], row.cells[1], round(row.cells[2])) for row in top.rows] == [
        ("Alice Able", "Acme", 200000),
        ("Bob Baker", "Bolt", 100000),
    ]
    rates = _table(response, "with-without")
    assert [row.cells[:5] for row in rates.rows] == [
        ("With references", 4, 1, 5, 80.0),
        ("Without references", 1, 1, 2, 50.0),
    ]
    assert [row.cells[5] for row in rates.rows] == [29.0, 20.0]
    content = response.content.decode()
    assert "$210,000" in content and "converted at the rates kept in RMS, last updated" in content
    assert "@customer.test" not in content  # no contact's email on an insights page


def test_an_activity_type_filter_changes_the_page(manager_client, world):
    response = manager_client.get(PAGE, RANGE | {"activity_type": world.type_id("site_visit")})

    by_type = _table(response, "by-activity-type")
    assert [row.cells[0] for row in by_type.rows] == ["Site visit"]  # no content row
    assert round(by_type.footer.cells[1]) == 100000


def test_each_row_links_to_its_deals(manager_client, world):
    page = manager_client.get(PAGE, RANGE)
    keys = ("by-activity-type", "top-references", "with-without", "by-month")
    by_type, top, rates, months = (_table(page, key) for key in keys)

    expected = {
        by_type.rows[0].link: ["D1", "D2", "D4"],  # calls (D4 without a rate)
        by_type.rows[1].link: ["D1"],  # site visits
        by_type.rows[2].link: ["D1", "D9"],  # content
        by_type.footer.link: ["D1", "D2", "D4", "D9"],
        top.rows[0].link: ["D1", "D2", "D4"],  # Alice
        top.rows[1].link: ["D1"],  # Bob: D5 was lost, D3's visit came after the close
        rates.rows[0].link: ["D1", "D2", "D4", "D5", "D9"],
        rates.rows[1].link: ["D3", "D6"],
        **{row.link: [name] for row, name in zip(months.rows, ["D4", "D1", "D2", "D9"], strict=True)},
    }
    for link, names in expected.items():
        response = manager_client.get(link)
        assert response.status_code == 200 and _names(response) == names, link


def test_the_deals_list_narrows_by_outcome_and_contact(manager_client, world):
    lost = manager_client.get(DEALS, RANGE | {"outcome": "lost"})
    alice = manager_client.get(DEALS, RANGE | {"contact": world.alice.pk})

    assert _names(lost) == ["D5", "D6"]
    assert _names(alice) == ["D1", "D2", "D4"] and "Alice Able influenced" in alice.content.decode()
    assert "@customer.test" not in alice.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"outcome": "open"},
        {"contact": "²"},
        {"influenced": "maybe"},
        {"end": "2026-01-01", "start": "2027-01-01"},
    ],
)
def test_bad_filters_are_refused_with_400(manager_client, world, params):
    assert manager_client.get(DEALS, params).status_code == 400


def test_the_csv_export_has_the_table_numbers(manager_client, world):
    response = manager_client.get(EXPORT, RANGE)

    assert response.status_code == 200
    assert _csv(response) == [
        ["Activity type", "Influenced revenue (USD)", "Deals won", "Left out (no rate)"],
        ["Reference call", "200000.00", "2", "1"],
        ["Site visit", "100000.00", "1", "0"],
        ["Content (case studies, quotes…)", "110000.00", "2", "0"],
        ["All influenced deals", "210000.00", "3", "1"],
    ]


@pytest.mark.parametrize("who", ["sales_rep", "marketer"])
def test_sales_and_marketing_are_refused(client, world, who, request):
    client.force_login(request.getfixturevalue(who))

    for url in (PAGE, EXPORT, DEALS):
        assert client.get(url, RANGE).status_code == 403, url


def test_an_executive_reads_the_page_the_export_and_the_deals(client, world, executive):
    client.force_login(executive)

    for url in (PAGE, reverse("insights:export", args=["revenue", "top-references", "xlsx"]), DEALS):
        assert client.get(url, RANGE).status_code == 200, url
    assert _names(client.get(DEALS, RANGE | {"influenced": "no"})) == ["D3", "D6"]


def _more_deals(world, owner, count: int) -> None:
    """`count` more won deals, each influenced by Alice and Bob, some in EUR."""
    for n in range(count):
        close = date(2026, 5, 1) + timedelta(days=n % 40)
        deal = make_opportunity(
            owner,
            outcome=DealOutcome.WON if n % 3 else DealOutcome.LOST,
            stage=Opportunity.Stage.CLOSED,
            amount=Decimal(1000 + n),
            currency="EUR" if n % 2 else "USD",
            close_date=close,
            opened_on=close - timedelta(days=n),
        )
        make_activity(world.alice, close, "reference_call").opportunities.add(deal)
        make_activity(world.bob, close - timedelta(days=1), "site_visit").opportunities.add(deal)
    facts.refresh()


@pytest.mark.parametrize("extra", [0, 30], ids=["few", "many"])
def test_query_counts_do_not_grow_with_the_deals(
    manager_client, world, sales_rep, extra, django_assert_max_num_queries, base_queries
):
    _more_deals(world, sales_rep, extra)

    # The page: the filter form's five lists; the total, per type and its names, content, top
    # references and their names, win rates, per month; the rates' latest update; the facts' as-of.
    with django_assert_max_num_queries(base_queries + 15):
        assert manager_client.get(PAGE, RANGE).status_code == 200
    # The list: the form's five lists, the contact, the count and the page of deals.
    with django_assert_max_num_queries(base_queries + 8):
        assert manager_client.get(DEALS, RANGE | {"contact": world.alice.pk}).status_code == 200

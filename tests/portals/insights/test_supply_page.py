"""The "Supply and demand" insights page: its figures from the hand-built program of
tests/builders/supply.py (tests/insights/test_supply.py explains them), the `months` window, the
"recruit here" links into the nominations queue, permissions, exports and query counts."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from requests_app.models import Nomination
from tests.builders import catalogue as factories
from tests.builders.supply import make_supply_world
from tests.integrations.test_exports import as_rows
from workflows.nominations import nomination_submit

pytestmark = pytest.mark.django_db

PAGE = reverse("insights:section", args=["supply"])
FINANCE_IDENTITY_NA = "Finance and Insurance · Identity & Access · North America"


@pytest.fixture
def world(sales_rep, other_rep, manager, account_owner):
    return make_supply_world(
        sales_rep=sales_rep, other_rep=other_rep, manager=manager, account_owner=account_owner
    )


@pytest.fixture
def executive(db):
    return factories.make_user("eve", Role.EXECUTIVE, first_name="Eve", last_name="Executive")


def _table(response, key: str):
    return next(table for table in response.context["view"].tables if table.key == key)


def _cells(response, key: str) -> list[tuple]:
    return [row.cells for row in _table(response, key).rows]


def test_the_page_shows_the_gap_table_totals_and_headlines(manager_client, world):
    response = manager_client.get(PAGE)

    assert response.status_code == 200
    assert _cells(response, "supply-gaps") == [
        (FINANCE_IDENTITY_NA, 1, 1, 2, 0, 2),
        ("Finance and Insurance · Analytics Cloud · North America", 2, 1, 3, 2, 1),
        ("Manufacturing · Observability Suite · Europe, Middle East and Africa", 0, 1, 1, 2, -1),
    ]
    assert _cells(response, "supply-by-industry") == [
        ("Finance and Insurance", 2, 2, 4, 2, 2),
        ("Manufacturing", 0, 1, 1, 2, -1),
    ]
    assert _table(response, "supply-by-region").footer.cells == ("All", 2, 3, 5, 4, 1)
    headlines = {headline.label: headline for headline in response.context["view"].headlines}
    assert {label: headline.value for label, headline in headlines.items()} == {
        "Cells short of references": 2,
        "Demand": 5,
        "References free now": 4,
    }
    # The references behind the supply figure: the insights contacts list shows exactly them.
    free = manager_client.get(headlines["References free now"].link)
    assert free.status_code == 200
    refs = world.refs
    expected = {refs.free.pk, refs.some_used.pk, refs.maker_calls.pk, refs.maker_visits.pk}
    assert {contact.pk for contact in free.context["page"]} == expected
    page = response.content.decode()
    assert "last 6 months up to today" in page
    assert "the date range above does not apply" in page
    assert "2 requests and 3 open deals; 1 campaign request counted apart" in page
    assert world.refs.free.email not in page and world.refs.free.phone not in page


def test_months_widens_the_window(manager_client, world):
    response = manager_client.get(PAGE, {"months": "12"})

    assert response.status_code == 200
    assert _cells(response, "supply-gaps")[2] == (
        "Manufacturing · Observability Suite · Europe, Middle East and Africa",
        1,
        2,
        3,
        2,
        1,
    )
    assert "last 12 months up to today" in response.content.decode()
    # The tabs and the exports carry the window.
    assert "months=12" in response.context["query"]


@pytest.mark.parametrize("months", ["0", "25", "abc", "²", "1e3", "99999999999999999999"])
def test_a_bad_months_is_a_form_error_and_400(manager_client, world, months):
    response = manager_client.get(PAGE, {"months": months})

    assert response.status_code == 400
    assert response.context["options"].errors["months"]
    assert "last 6 months up to today" in response.content.decode()  # the default meanwhile
    export = reverse("insights:export", args=["supply", "supply-gaps", "csv"])
    assert manager_client.get(export, {"months": months}).status_code == 404


def test_the_segment_filters_narrow_the_page(manager_client, world):
    response = manager_client.get(PAGE, {"product": world.t.identity.pk})

    assert _cells(response, "supply-gaps") == [(FINANCE_IDENTITY_NA, 1, 1, 2, 0, 2)]
    assert _cells(response, "supply-by-region") == [("North America", 1, 1, 2, 0, 2)]


def test_recruit_here_opens_the_queue_showing_only_that_segments_nominations(
    manager_client, world, sales_rep
):
    at_risk_bank = world.refs.at_risk.account  # Finance, US, Analytics Cloud and Identity & Access
    plain_bank = world.refs.free.account  # Finance, US, Analytics Cloud only
    maker = world.refs.maker_calls.account
    wanted = nomination_submit(
        nominator=sales_rep,
        account=at_risk_bank,
        contact_name="Ida Identity",
        contact_email="ida@x.test",
        reason="Fan.",
    )
    for account, name in ((plain_bank, "Ann Analytics"), (maker, "Max Maker")):
        nomination_submit(
            nominator=sales_rep,
            account=account,
            contact_name=name,
            contact_email=f"{name[:3]}@x.test",
            reason="Fan.",
        )
    Nomination.objects.create(
        source=Nomination.Source.PUBLIC,
        contact_name="Vera Volunteer",
        company_name="Globex",
        reason="A call.",
    )

    link = _table(manager_client.get(PAGE), "supply-gaps").rows[0].link
    t = world.t
    expected = urlencode({"industry": t.bank.pk, "product": t.identity.pk, "region": t.north_america.pk})
    assert link == f"{reverse('manage:nominations')}?{expected}"
    queue = manager_client.get(link)

    assert [n.pk for n in queue.context["page"]] == [wanted.pk]
    assert "volunteers whose company is not matched" in queue.content.decode()
    # A total's row opens the queue filtered to its industry, keeping the page's own filters.
    by_industry = _table(manager_client.get(PAGE, {"region": t.north_america.pk}), "supply-by-industry")
    assert by_industry.rows[0].link == (
        f"{reverse('manage:nominations')}?{urlencode({'industry': t.bank.pk, 'region': t.north_america.pk})}"
    )


@pytest.mark.parametrize("who", ["sales_rep", "marketer", "account_owner"])
def test_sales_and_marketing_are_refused(client, world, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("insights:export", args=["supply", "supply-gaps", "csv"])).status_code == 403


def test_an_executive_reads_the_page(client, world, executive):
    client.force_login(executive)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert _cells(response, "supply-gaps")[0][0] == FINANCE_IDENTITY_NA
    # The nominations queue is the managers': no link an executive could not open.
    assert {row.link for row in _table(response, "supply-gaps").rows} == {""}
    assert client.get(reverse("manage:nominations")).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_gap_table_exports_as_the_page_shows_it(manager_client, world, fmt):
    url = reverse("insights:export", args=["supply", "supply-gaps", fmt])

    rows = as_rows(manager_client.get(url, {"months": "12", "industry": world.t.bank.pk}))

    assert rows[0] == [
        "Industry · product · region",
        "Requests",
        "Open deals",
        "Demand",
        "References free",
        "Shortfall",
    ]
    assert [list(map(str, row)) for row in rows[1:]] == [
        [FINANCE_IDENTITY_NA, "1", "1", "2", "0", "2"],
        ["Finance and Insurance · Analytics Cloud · North America", "2", "1", "3", "2", "1"],
    ]


def test_the_page_costs_the_same_with_few_and_many_rows(
    manager_client, sales_rep, other_rep, manager, account_owner, django_assert_max_num_queries, base_queries
):
    def measure() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert manager_client.get(PAGE, {"months": "12"}).status_code == 200
        return len(seen.captured_queries)

    make_supply_world(sales_rep=sales_rep, other_rep=other_rep, manager=manager, account_owner=account_owner)
    few = measure()
    for _ in range(3):
        make_supply_world(
            sales_rep=sales_rep, other_rep=other_rep, manager=manager, account_owner=account_owner
        )
    # The base + the filter form's choices (industry, product, region, activity type, team) + the
    # three grouped counts (one per side: requests, deals, references; per cell and per industry
    # and region each).
    with django_assert_max_num_queries(base_queries + 5 + 3):
        manager_client.get(PAGE)
    assert measure() == few

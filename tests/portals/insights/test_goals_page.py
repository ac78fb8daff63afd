"""The goals page: a quarter's goals with their progress (table, chart, headlines, links to the rows
behind), the quarter chosen by `?quarter=`, the managers' forms to set and remove a goal, who may
read and who may set, and what the page costs."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from insights import facts
from insights.goals import Quarter
from insights.models import GoalMetric, ProgramGoal, Team
from portals.insights.goal_forms import QuarterForm
from references.models import DealOutcome, ReferenceStatus
from references.services.status import contact_change_status
from tests.builders import catalogue

pytestmark = pytest.mark.django_db

PAGE = "/insights/goals/"
R, M, N = GoalMetric.REQUESTS_FULFILLED, GoalMetric.INFLUENCED_REVENUE, GoalMetric.NEW_REFERENCES


@pytest.fixture
def executive(db):
    return catalogue.make_user("erin", Role.EXECUTIVE)


@pytest.fixture
def team(sales_rep):
    north = Team.objects.create(name="North")
    north.members.set([sales_rep])
    return north


def _program_data(size: int, sales_rep, other_rep, account_owner, manager) -> None:
    """`size` influenced won deals of $1,000 each (half Sally's, half Oscar's) and `size` contacts
    recruited, all today (in the current quarter)."""
    today = timezone.localdate()
    account = catalogue.make_account(account_owner)
    reference = catalogue.make_contact(account)
    for i in range(size):
        owner = sales_rep if i % 2 == 0 else other_rep
        deal = catalogue.make_opportunity(
            owner, amount=Decimal(1000), close_date=today, outcome=DealOutcome.WON
        )
        catalogue.make_activity(reference, today).opportunities.add(deal)
        recruit = catalogue.make_contact(account, status=ReferenceStatus.CANDIDATE)
        contact_change_status(contact=recruit, to_status=ReferenceStatus.ACTIVE, reason="Yes.", actor=manager)
    facts.refresh()


def _goals(team) -> None:
    quarter = Quarter.current()
    for metric, target, who in ((M, 4000, None), (N, 8, None), (R, 10, None), (M, 2000, team)):
        ProgramGoal.objects.create(
            year=quarter.year, quarter=quarter.number, metric=metric, target=Decimal(target), team=who
        )


def test_a_manager_sees_progress_with_the_numbers_and_the_form(
    manager_client, sales_rep, other_rep, account_owner, manager, team
):
    _program_data(4, sales_rep, other_rep, account_owner, manager)
    _goals(team)
    response = manager_client.get(PAGE)
    assert response.status_code == 200
    table = next(t for t in response.context["view"].tables if t.key == "goal-progress")
    assert [row.cells for row in table.rows] == [
        ("Program · Influenced revenue (USD)", Decimal(4000), Decimal(4000), Decimal(100)),
        ("Program · New references recruited", 4, Decimal(8), Decimal(50)),
        ("Program · Requests fulfilled", 0, Decimal(10), Decimal(0)),
        ("North · Influenced revenue (USD)", Decimal(2000), Decimal(2000), Decimal(100)),  # Sally's two
    ]
    page = response.content.decode()
    assert 'data-chart="chart-data-goal-progress"' in page
    assert "Set a goal" in page and reverse("insights:goal-set") in page
    assert f"Q{Quarter.current().number} {Quarter.current().year}" in page
    headlines = {h.label: (h.value, h.detail) for h in response.context["view"].headlines}
    assert headlines["Influenced revenue (USD)"] == (Decimal(4000), "of $4,000 (100 %)")
    assert headlines["Goals reached"] == (2, "of 4")
    assert "@customer.test" not in page  # never a contact's email


def test_each_goal_links_to_the_rows_behind_it(manager_client, team):
    _goals(team)
    quarter = Quarter.current()
    span = f"start={quarter.start.isoformat()}&end={quarter.end.isoformat()}"
    table = manager_client.get(PAGE).context["view"].tables[0]
    assert [row.link for row in table.rows] == [
        f"/insights/deals/?{span}&influenced=yes&outcome=won",
        f"/insights/contacts/?{span}&which=recruited",
        f"/insights/requests/?{span}&reached=completed",
        f"/insights/deals/?{span}&team={team.pk}&influenced=yes&outcome=won",
    ]


def test_the_quarter_comes_from_the_query_with_links_to_its_neighbours(manager_client, team):
    ProgramGoal.objects.create(year=2026, quarter=1, metric=R, target=3)
    response = manager_client.get(PAGE, {"quarter": "2026-Q1"})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["quarter"] == Quarter(2026, 1)
    assert "?quarter=2025-Q4" in page and "?quarter=2026-Q2" in page
    assert [row.cells[0] for row in response.context["view"].tables[0].rows] == [
        "Program · Requests fulfilled"
    ]
    assert manager_client.get(PAGE).context["view"].tables[0].rows == ()  # the current quarter: none
    # From another tab: the quarter holding the end of its range.
    from_tab = manager_client.get(PAGE, {"start": "2025-03-01", "end": "2026-02-28"})
    assert from_tab.status_code == 200 and from_tab.context["quarter"] == Quarter(2026, 1)


@pytest.mark.parametrize(
    "bad", ["2026-Q5", "2026", "Q4", "２０２６-Q1", f"{timezone.localdate().year - 6}-Q1", "x" * 50]
)
def test_a_bad_quarter_is_a_400_showing_the_current_one(manager_client, bad):
    response = manager_client.get(PAGE, {"quarter": bad})
    assert response.status_code == 400
    assert response.context["quarter"] == Quarter.current()
    assert response.context["quarter_form"].errors


# --- Setting and removing ----------------------------------------------------------------


def _posted(for_team=None, **changes) -> dict:
    quarter = Quarter.current()
    values = {"year": quarter.year, "quarter": quarter.number, "metric": R, "target": "12"}
    if for_team is not None:
        values["team"] = for_team.pk
    return values | changes


def test_a_manager_sets_a_goal_and_setting_it_again_changes_its_target(manager_client, manager, team):
    response = manager_client.post(reverse("insights:goal-set"), _posted(team))
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?quarter={Quarter.current().code}"
    manager_client.post(reverse("insights:goal-set"), _posted(team, target="15"))
    manager_client.post(reverse("insights:goal-set"), _posted(metric=M, target="2500.50"))
    kept = set(ProgramGoal.objects.values_list("team__name", "metric", "target", "set_by"))
    assert kept == {("North", R, Decimal(15), manager.pk), (None, M, Decimal("2500.50"), manager.pk)}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quarter": "5"}, "quarter"),
        ({"quarter": "²"}, "quarter"),
        ({"year": str(timezone.localdate().year + 6)}, "year"),
        ({"year": "２０２６"}, "year"),
        ({"target": "-1"}, "target"),
        ({"target": "1" + "0" * 15}, "target"),  # absurd: past the field's digits
        ({"target": "2000000"}, "target"),  # a count past the service's sane maximum
        ({"metric": M, "target": "5000000000000"}, "target"),  # revenue past the sane maximum
        ({"target": "2.5"}, "target"),  # a count is whole
        ({"target": "NaN"}, "target"),
        ({"team": "999999"}, "team"),
        ({"metric": "everything"}, "metric"),
    ],
)
def test_bad_goals_are_refused_with_the_field_named(manager_client, changes, field):
    response = manager_client.post(reverse("insights:goal-set"), _posted(**changes))
    assert response.status_code == 400
    assert field in response.context["goal_form"].errors
    assert not ProgramGoal.objects.exists()


def test_a_manager_removes_a_goal(manager_client):
    goal = ProgramGoal.objects.create(year=2026, quarter=3, metric=N, target=5)
    response = manager_client.post(reverse("insights:goal-delete", args=[goal.pk]))
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?quarter=2026-Q3"
    assert not ProgramGoal.objects.exists()
    assert manager_client.post(reverse("insights:goal-delete", args=[goal.pk])).status_code == 404


# --- Who may ---------------------------------------------------------------------------


def test_an_executive_reads_the_goals_but_may_not_set_or_remove_them(client, executive, team):
    _goals(team)
    goal = ProgramGoal.objects.first()
    client.force_login(executive)
    response = client.get(PAGE)
    assert response.status_code == 200 and len(response.context["view"].tables[0].rows) == 4
    assert "Set a goal" not in response.content.decode()
    assert reverse("insights:goal-delete", args=[goal.pk]) not in response.content.decode()
    assert client.post(reverse("insights:goal-set"), _posted(metric=N, target="99")).status_code == 403
    assert client.post(reverse("insights:goal-delete", args=[goal.pk])).status_code == 403
    assert ProgramGoal.objects.count() == 4 and not ProgramGoal.objects.filter(target=99).exists()


@pytest.mark.parametrize("persona", ["sales_rep", "marketer"])
def test_sales_and_marketing_get_403_on_the_page_and_the_forms(client, request, persona):
    goal = ProgramGoal.objects.create(year=2026, quarter=3, metric=N, target=5)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("insights:export", args=["goals", "goal-progress", "csv"])).status_code == 403
    assert client.post(reverse("insights:goal-set"), _posted()).status_code == 403
    assert client.post(reverse("insights:goal-delete", args=[goal.pk])).status_code == 403
    assert list(ProgramGoal.objects.values_list("pk", flat=True)) == [goal.pk]


def test_the_export_writes_the_quarter_the_page_shows(manager_client, team):
    _goals(team)
    quarter = Quarter.current()
    url = reverse("insights:export", args=["goals", "goal-progress", "csv"])
    response = manager_client.get(url, {"start": quarter.start.isoformat(), "end": quarter.end.isoformat()})
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert response.status_code == 200
    assert "Program · Requests fulfilled,0,10,0.0" in text.replace("\r", "")


# --- Cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_costs_the_same_with_more_rows(
    manager_client,
    sales_rep,
    other_rep,
    account_owner,
    manager,
    team,
    size,
    base_queries,
    django_assert_max_num_queries,
):
    _program_data(size, sales_rep, other_rep, account_owner, manager)
    _goals(team)
    # Past the bare page: the quarter's goals (1), one aggregate per goal (4), and the set form's
    # team and year choices (1: the teams), the revenue facts' as-of (1).
    with django_assert_max_num_queries(base_queries + 7):
        response = manager_client.get(PAGE)
    assert response.status_code == 200
    assert response.context["view"].tables[0].rows[0].cells[1] == Decimal(1000 * size)


# --- Fuzzed input ----------------------------------------------------------------------


@pytest.fixture
def fuzz_examples():
    from tests.security.fuzz_world import EXAMPLES

    return EXAMPLES


def test_fuzzed_goals_and_quarters_never_fail_the_server(manager_client, team, fuzz_examples):
    """The set form and the quarter filter with the fuzz pass's values (tests/security/fuzz_world.py:
    the goals page is outside the crawled portals, so it is fuzzed here)."""
    from django.db import transaction
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.security.fuzz_world import fuzz_settings, tricky_values

    manager_client.raise_request_exception = False
    names = ["year", "quarter", "team", "metric", "target"]

    @fuzz_settings(fuzz_examples)
    @given(changes=st.dictionaries(st.sampled_from(names), tricky_values(), min_size=1, max_size=3))
    def post(changes):
        savepoint = transaction.savepoint()
        try:
            response = manager_client.post(reverse("insights:goal-set"), _posted(team) | changes)
        finally:
            transaction.savepoint_rollback(savepoint)
        assert response.status_code in (302, 400), (changes, response.status_code)

    @fuzz_settings(fuzz_examples)
    @given(quarter=tricky_values())
    def get(quarter):
        assert manager_client.get(PAGE, {"quarter": quarter}).status_code in (200, 400), quarter

    post()
    get()


def test_the_quarter_form_reads_a_quarter_code_and_refuses_anything_else():
    today = timezone.localdate()
    form = QuarterForm({"quarter": f"{today.year}-q4"})
    assert form.is_valid() and form.chosen() == Quarter(today.year, 4)
    for bad in ("2026-Q5", "2026-Q0", "２０２６-Q1", "2026Q1", "-Q1", "2026-Q²", "2026-Q1x", " 2026-Q1 x"):
        form = QuarterForm({"quarter": bad})
        assert not form.is_valid(), bad
        assert "quarter" in form.errors and form.chosen() == Quarter.current()

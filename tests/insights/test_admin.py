"""The insights admin: reference managers keep teams, goals and digest recipients there; a goal
saved in the admin passes the goals page's checks; the lists cost the same for few or many rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from insights.models import DigestRecipient, GoalMetric, ProgramGoal, Team
from tests.builders import catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_manager_client(client, manager):
    client.force_login(manager)  # managers are admin staff (tests/builders make_user)
    return client


def _goal_post(**changes) -> dict:
    year = timezone.localdate().year
    return {
        "year": year,
        "quarter": 2,
        "team": "",
        "metric": GoalMetric.NEW_REFERENCES,
        "target": "6",
    } | changes


def test_a_manager_adds_a_team_with_members_and_a_goal(staff_manager_client, manager, sales_rep):
    response = staff_manager_client.post(
        reverse("admin:insights_team_add"), {"name": "North", "members": [sales_rep.pk]}
    )
    assert response.status_code == 302
    team = Team.objects.get(name="North")
    assert list(team.members.all()) == [sales_rep]
    response = staff_manager_client.post(reverse("admin:insights_programgoal_add"), _goal_post(team=team.pk))
    assert response.status_code == 302
    assert ProgramGoal.objects.get().set_by == manager


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": str(timezone.localdate().year + 6)}, "year"),
        ({"target": "1.5"}, "target"),
        ({"target": "-3"}, "target"),
        ({"metric": GoalMetric.INFLUENCED_REVENUE, "target": "5000000000000"}, "target"),
    ],
)
def test_the_admin_refuses_a_goal_the_page_would_refuse(staff_manager_client, changes, field):
    response = staff_manager_client.post(reverse("admin:insights_programgoal_add"), _goal_post(**changes))
    assert response.status_code == 200  # the form again, with its errors
    assert field in response.context["adminform"].form.errors
    assert not ProgramGoal.objects.exists()


def test_the_digest_goes_to_managers_and_executives_only(staff_manager_client, manager, sales_rep):
    executive = catalogue.make_user("erin", Role.EXECUTIVE)
    url = reverse("admin:insights_digestrecipient_add")
    assert staff_manager_client.post(url, {"user": sales_rep.pk}).status_code == 200  # not a choice
    assert staff_manager_client.post(url, {"user": executive.pk}).status_code == 302
    assert DigestRecipient.objects.get().added_by == manager


def _changelist_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["admin:insights_team_changelist", "admin:insights_programgoal_changelist"])
def test_the_lists_cost_the_same_for_few_or_many_rows(
    staff_manager_client, manager, sales_rep, name, django_assert_max_num_queries
):
    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            team = Team.objects.create(name=f"Team {i}")
            team.members.set([sales_rep, manager])
            ProgramGoal.objects.create(
                year=2026,
                quarter=1 + i % 4,
                team=team,
                metric=GoalMetric.REQUESTS_FULFILLED,
                target=Decimal(i),
                set_by=manager,
            )

    add(2, 0)
    few = _changelist_queries(staff_manager_client, name)
    add(20, 2)
    with django_assert_max_num_queries(few):
        assert staff_manager_client.get(reverse(name)).status_code == 200

"""Goals: progress figures from a hand-built program whose numbers are known, the quarters, and
the service that sets and deletes goals (who may, what it refuses, upserting)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import InvalidInput, NotAllowed
from core.roles import Role
from insights import facts
from insights.goals import Quarter, goal_delete, goal_progress, goal_set
from insights.models import GoalMetric, ProgramGoal, Team
from references.models import CurrencyRate, DealOutcome, ReferenceStatus, StatusChange
from references.services.status import contact_change_status
from requests_app.models import RequestEvent
from requests_app.statuses import RequestStatus
from tests.builders import catalogue
from tests.builders.requests import drive_to, make_request

pytestmark = pytest.mark.django_db

# The quarter measured: the last one, wholly past (its days are never in the future).
QUARTER = Quarter.current().previous()
R, M, N = GoalMetric.REQUESTS_FULFILLED, GoalMetric.INFLUENCED_REVENUE, GoalMetric.NEW_REFERENCES


def day(n: int):
    return QUARTER.start + timedelta(days=n)


def moment(n: int):
    return datetime.combine(day(n), time(12), tzinfo=timezone.get_current_timezone())


def test_quarters_parse_and_step():
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter.of(date(2026, 8, 15)) == Quarter(2026, 3)
    assert (str(Quarter(2026, 4)), Quarter(2026, 4).code) == ("Q4 2026", "2026-Q4")


def _completed(requester, owner, manager, *, at: int):
    # A reference of its own, at an account of its own: no burnout limit between the requests.
    contact = catalogue.make_contact(catalogue.make_account(owner))
    request = drive_to(make_request(requester, contact), RequestStatus.COMPLETED, contact, manager)
    RequestEvent.objects.filter(request=request, to_status=RequestStatus.COMPLETED).update(
        created_at=moment(at)
    )
    return request


def _won(owner, contact, *, amount, close: int, activities=(), currency="USD", outcome=DealOutcome.WON):
    deal = catalogue.make_opportunity(
        owner, amount=Decimal(amount), currency=currency, close_date=day(close), outcome=outcome
    )
    for occurred in activities:
        catalogue.make_activity(contact, day(occurred)).opportunities.add(deal)
    return deal


def _recruited(account, manager, *, at: int):
    contact = catalogue.make_contact(account, status=ReferenceStatus.CANDIDATE)
    contact_change_status(
        contact=contact, to_status=ReferenceStatus.ACTIVE, reason="Qualified.", actor=manager
    )
    StatusChange.objects.filter(contact=contact).update(changed_at=moment(at))
    return contact


@pytest.fixture
def program(sales_rep, other_rep, account_owner, manager):
    """Team North: Sally (who asks and sells) and Olivia (who owns references); Team South: Oscar.

    Requests fulfilled in the quarter: Sally's (North) and Oscar's (South); Sally's completed the
    quarter before and one still in review count for nobody.
    Influenced revenue: Sally's $100,000 deal and her $50,000 deal with two activities (counted
    once) for North; Oscar's €92,000 (at 0.92 per USD: $100,000) for South. Not counted: Sally's
    deal whose only activity came after the close, her lost deal, her deal closed the quarter
    before, a won deal with no activity.
    New references: one at Olivia's account (North), one at Oscar's (South); one recruited the
    quarter before and one put to rest count for nobody.
    """
    north = Team.objects.create(name="North")
    north.members.set([sales_rep, account_owner])
    south = Team.objects.create(name="South")
    south.members.set([other_rep])
    CurrencyRate.objects.create(currency="EUR", per_usd=Decimal("0.92"))
    olivias = catalogue.make_account(account_owner, name="Olivia Bank")
    oscars = catalogue.make_account(other_rep, name="Oscar Freight")
    reference = catalogue.make_contact(olivias)

    _completed(sales_rep, account_owner, manager, at=10)
    _completed(other_rep, account_owner, manager, at=20)
    _completed(sales_rep, account_owner, manager, at=-5)  # the quarter before
    waiting = catalogue.make_contact(catalogue.make_account(account_owner))
    drive_to(make_request(sales_rep, waiting), RequestStatus.IN_REVIEW, waiting, manager)

    _won(sales_rep, reference, amount=100_000, close=30, activities=[25])
    _won(sales_rep, reference, amount=50_000, close=30, activities=[10, 30])  # on the close day counts
    _won(other_rep, reference, amount=92_000, currency="EUR", close=40, activities=[35])
    _won(sales_rep, reference, amount=70_000, close=30, activities=[31])  # after the close
    _won(sales_rep, reference, amount=80_000, close=30, activities=[20], outcome=DealOutcome.LOST)
    _won(sales_rep, reference, amount=90_000, close=-2, activities=[-10])  # the quarter before
    _won(sales_rep, reference, amount=60_000, close=30)  # no reference

    _recruited(olivias, manager, at=15)
    _recruited(oscars, manager, at=16)
    _recruited(olivias, manager, at=-1)  # the quarter before
    rested = catalogue.make_contact(olivias)
    contact_change_status(contact=rested, to_status=ReferenceStatus.RESTING, reason="Busy.", actor=manager)
    StatusChange.objects.filter(contact=rested).update(changed_at=moment(15))
    facts.refresh()  # as beat does
    return {"north": north, "south": south}


def _goal(metric, target, team=None):
    return ProgramGoal.objects.create(
        year=QUARTER.year, quarter=QUARTER.number, metric=metric, target=Decimal(target), team=team
    )


def test_progress_per_metric_for_the_program_and_each_team(program, django_assert_num_queries):
    north, south = program["north"], program["south"]
    _goal(R, 4), _goal(M, 500_000), _goal(N, 2)
    _goal(R, 2, north), _goal(M, 0, north), _goal(N, 1, north)
    _goal(R, 1, south), _goal(M, 100_000, south), _goal(N, 4, south)
    ProgramGoal.objects.create(year=QUARTER.next().year, quarter=QUARTER.next().number, metric=R, target=9)

    with django_assert_num_queries(1 + 9):  # the goals, then one aggregate per (team, metric)
        progress = goal_progress(QUARTER)

    got = [(p.goal.team.name if p.goal.team else None, p.goal.metric, p.value, p.share) for p in progress]
    assert got == [
        (None, M, Decimal(250_000), Decimal(50)),
        (None, N, 2, Decimal(100)),
        (None, R, 2, Decimal(50)),
        ("North", M, Decimal(150_000), None),  # a target of zero has no share
        ("North", N, 1, Decimal(100)),
        ("North", R, 1, Decimal(50)),
        ("South", M, Decimal(100_000), Decimal(100)),
        ("South", N, 1, Decimal(25)),
        ("South", R, 1, Decimal(100)),
    ]
    assert [p.reached for p in progress] == [False, True, False, True, True, False, True, False, True]
    assert progress[3].segment == QUARTER.segment(north.pk)
    assert (progress[0].segment.start, progress[0].segment.end, progress[0].segment.team) == (
        QUARTER.start,
        QUARTER.end,
        None,
    )


def test_a_quarter_without_goals_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert goal_progress(QUARTER) == []


# --- goal_set / goal_delete ---------------------------------------------------------------


def _set(actor, metric=R, target=5, team=None):
    quarter = {"year": QUARTER.year, "quarter": QUARTER.number}
    return goal_set(actor=actor, **quarter, metric=metric, target=Decimal(target), team=team)


def test_setting_the_same_goal_twice_updates_it(manager):
    team = Team.objects.create(name="North")
    first = _set(manager, R, 5, team=team)
    again = _set(manager, R, 7, team=team)
    program = _set(manager, R, 3)
    program_again = _set(manager, R, 4)
    assert again.pk == first.pk and program_again.pk == program.pk
    assert set(ProgramGoal.objects.values_list("team__name", "target", "set_by")) == {
        ("North", Decimal(7), manager.pk),
        (None, Decimal(4), manager.pk),
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quarter": 5}, "quarter"),
        ({"quarter": 0}, "quarter"),
        ({"year": timezone.localdate().year + 6}, "year"),
        ({"year": timezone.localdate().year - 6}, "year"),
        ({"target": Decimal(-1)}, "target"),
        ({"target": Decimal("NaN")}, "target"),
        ({"target": Decimal("1.5")}, "target"),  # a count
        ({"target": Decimal(2_000_000)}, "target"),
        ({"metric": M, "target": Decimal(10**12 + 1)}, "target"),
        ({"metric": "nonsense"}, "metric"),
    ],
)
def test_goal_set_refuses_bad_input(manager, changes, field):
    values = {"year": QUARTER.year, "quarter": QUARTER.number, "metric": R, "target": Decimal(5)} | changes
    with pytest.raises(InvalidInput) as refused:
        goal_set(actor=manager, **values)
    assert refused.value.field == field
    assert not ProgramGoal.objects.exists()


def test_goal_set_refuses_a_team_deleted_meanwhile(manager):
    team = Team.objects.create(name="Gone")
    Team.objects.filter(pk=team.pk).delete()
    with pytest.raises(InvalidInput) as refused:
        _set(manager, R, 1, team=team)
    assert refused.value.field == "team"
    assert not ProgramGoal.objects.exists()


def test_only_managers_and_administrators_set_or_delete_goals(manager, admin_user, sales_rep, marketer):
    executive = catalogue.make_user("erin", Role.EXECUTIVE)
    values = {"year": QUARTER.year, "quarter": QUARTER.number, "metric": N, "target": Decimal(3)}
    for refused in (executive, sales_rep, marketer):
        with pytest.raises(NotAllowed):
            goal_set(actor=refused, **values)
    goal = goal_set(actor=admin_user, **values)
    for refused in (executive, sales_rep, marketer):
        with pytest.raises(NotAllowed):
            goal_delete(actor=refused, goal=goal)
    assert ProgramGoal.objects.filter(pk=goal.pk).exists()
    goal_delete(actor=manager, goal=goal)
    assert not ProgramGoal.objects.exists()


def test_revenue_targets_keep_cents(manager):
    goal = _set(manager, M, "1234.567")
    goal.refresh_from_db()
    assert goal.target == Decimal("1234.57")

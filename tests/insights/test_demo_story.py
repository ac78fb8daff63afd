"""The demo tells the insights story (references/demo_story.py, insights/demo_story.py): referenced
deals win more often and sooner, a segment is short of references, a few customers are worn out,
two teams have this quarter's goals (some met, some not), and an executive receives the digest."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.test import RequestFactory

from core.roles import Role, has_role
from insights import facts, measures
from insights.demo_story import quarter_start
from insights.digest import last_full_month
from insights.models import DigestIssue, DigestRecipient, GoalMetric, ProgramGoal, Team
from insights.segments import Segment, contact_filter, deal_filter
from limits.models import ContactUsage, UsageState
from references.models import Contact, DealOutcome, Industry, Opportunity, Product, ReferenceActivity, Region
from references.statuses import ReferenceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo for the module (seeding is the slow part), in a transaction that stays open while
    the module's tests run and is rolled back afterwards (as tests/security/world.py does)."""
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            call_command("seed_demo", accounts=200, seed=3, stdout=StringIO())
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _two_years() -> Segment:
    return Segment(date.today() - timedelta(days=730), date.today())


def test_deals_with_references_win_more_often_and_close_sooner(demo):
    segment = _two_years()
    closed = facts.closed_facts(segment)  # the seed refreshed them, as beat would
    influenced = facts.influenced(segment)
    figures = {}
    for name, deals in (("with", closed.filter(influenced)), ("without", closed.exclude(influenced))):
        figures[name] = deals.aggregate(
            deals=Count("pk"), won=Count("pk", filter=Q(is_won=True)), cycle=Avg("cycle_days")
        )
    with_refs, without = figures["with"], figures["without"]
    assert with_refs["deals"] >= 50 and without["deals"] >= 30  # both sides have deals to compare
    assert with_refs["won"] / with_refs["deals"] > without["won"] / without["deals"] + 0.2
    assert with_refs["cycle"] < without["cycle"]
    assert (
        closed.count()
        == Opportunity.objects.filter(outcome__in=(DealOutcome.WON, DealOutcome.LOST))
        .filter(close_date__range=(segment.start, segment.end), opened_on__isnull=False)
        .count()
    )


def test_a_segment_has_much_more_demand_than_references(demo):
    short = Segment(
        date.today() - timedelta(days=180),
        date.today(),
        industry=Industry.objects.get(naics_code="62").pk,
        region=Region.objects.get(code="APAC").pk,
        product=Product.objects.filter(is_active=True).order_by("sort_order", "name").first().pk,
    )
    demand = Opportunity.objects.filter(deal_filter(short), outcome=DealOutcome.OPEN).count()
    supply = Contact.objects.filter(contact_filter(short), status=ReferenceStatus.ACTIVE).count()
    assert demand >= 12 and demand > 3 * supply


def test_a_few_references_did_a_visibly_large_share_and_are_at_their_limit(demo):
    year = ReferenceActivity.objects.filter(occurred_on__gte=date.today() - timedelta(days=365))
    per_contact = year.values("contact").annotate(n=Count("pk")).order_by("-n")
    top_five = sum(per_contact[:5].values_list("n", flat=True))
    contacts = year.values("contact").distinct().count()
    # Five references did at least ten times the share five average ones would.
    assert top_five / year.count() > 10 * 5 / contacts
    busiest = per_contact.values_list("contact", flat=True)[:3]
    assert set(ContactUsage.objects.filter(contact__in=busiest).values_list("state", flat=True)) == {
        UsageState.LIMITED
    }


def test_two_teams_and_this_quarters_goals_some_met_some_not(demo):
    teams = {team.name: team for team in Team.objects.all()}
    assert set(teams) == {"North America", "EMEA"}
    assert teams["North America"].members.filter(username="sales").exists()
    assert teams["EMEA"].members.filter(username="sales2").exists()

    start = quarter_start(date.today())
    goals = ProgramGoal.objects.filter(year=start.year, quarter=(start.month - 1) // 3 + 1)
    assert goals.filter(team__isnull=True).exists() and goals.filter(team__isnull=False).exists()
    met = set()
    for goal in goals.filter(metric=GoalMetric.INFLUENCED_REVENUE):
        segment = Segment(start, date.today(), team=goal.team_id)
        met.add(Decimal(measures.influenced_revenue(segment)["usd"]) >= goal.target)
    assert met == {True, False}


def test_the_executive_signs_in_and_receives_the_digest_with_the_manager(demo):
    executive = authenticate(RequestFactory().post("/login/"), username="exec", password="demo")
    assert executive is not None and has_role(executive, Role.EXECUTIVE) and not executive.is_staff
    recipients = set(DigestRecipient.objects.values_list("user__username", flat=True))
    assert recipients == {"exec", "manager"}
    assert DigestIssue.objects.filter(month=last_full_month(date.today())).exists()

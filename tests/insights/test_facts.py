"""The revenue figures' facts (insights.facts): rebuilt whole by beat, read by the pages "as of"."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from insights import facts, revenue, tasks
from insights.models import DealFact, FactsRefresh, InfluenceFact
from references.models import DealOutcome, Opportunity
from rms.celery import app as celery_app
from tests.builders.catalogue import make_activity, make_opportunity
from tests.insights.revenue_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sales_rep, other_rep, account_owner, marketer):
    return build(sales_rep, other_rep, account_owner, marketer)


def _late_win(world, owner) -> Opportunity:
    """A won $7,000 deal closed 20 Jun with a call by Bob on 10 Jun."""
    deal = make_opportunity(
        owner,
        outcome=DealOutcome.WON,
        stage=Opportunity.Stage.CLOSED,
        amount=Decimal(7000),
        close_date=date(2026, 6, 20),
    )
    make_activity(world.bob, date(2026, 6, 10)).opportunities.add(deal)
    return deal


def test_the_figures_are_those_of_the_last_refresh_until_the_next(world, sales_rep):
    before = revenue.summary(world.segment())
    first = facts.as_of()

    deal = _late_win(world, sales_rep)
    assert revenue.summary(world.segment()) == before  # not yet: the facts are as of `first`

    latest = facts.refresh()
    after = revenue.summary(world.segment())
    assert (after["usd"] - before["usd"], after["deals"] - before["deals"]) == (Decimal(7000), 1)
    assert latest.refreshed_at >= first.refreshed_at and FactsRefresh.objects.get() == latest
    assert (latest.deals, latest.influences) == (DealFact.objects.count(), InfluenceFact.objects.count())

    deal.activities.clear()  # the link goes: the next rebuild forgets it
    facts.refresh()
    assert revenue.summary(world.segment()) == before


def test_a_close_date_moved_past_the_activity_is_read_at_the_next_refresh(world):
    d3 = world.deals["D3"]  # Bob's call came the day after its close: without references
    Opportunity.objects.filter(pk=d3.pk).update(close_date=d3.close_date + timedelta(days=2))
    facts.refresh()

    assert DealFact.objects.get(deal=d3).by_activity is True
    assert revenue.win_rates(world.segment())[False]["won"] == 0


def test_one_row_per_deal_type_and_per_deal_reference_is_marked(world):
    assert DealFact.objects.count() == Opportunity.objects.exclude(outcome=DealOutcome.OPEN).count()
    # D1: Alice's two calls are one (deal, call, Alice) row; Bob's visit another.
    d1 = InfluenceFact.objects.filter(deal=world.deals["D1"])
    assert sorted(d1.values_list("contact", flat=True)) == sorted([world.alice.pk, world.bob.pk])
    for group, mark in (
        (("deal", "activity_type"), "first_of_type"),
        (("deal", "contact"), "first_of_contact"),
    ):
        marked = InfluenceFact.objects.filter(**{mark: True}).values(*group).annotate(n=Count("pk"))
        assert {row["n"] for row in marked} == {1}
        assert marked.count() == InfluenceFact.objects.values(*group).distinct().count()
    # The open deal D8 and D3 (after its close) have no influence; D7 (July) has one.
    assert not InfluenceFact.objects.filter(deal__in=[world.deals["D8"], world.deals["D3"]]).exists()
    assert InfluenceFact.objects.filter(deal=world.deals["D7"]).count() == 1


def test_beat_rebuilds_only_stale_facts(world, sales_rep, settings):
    settings.INSIGHT_FACTS_SECONDS = 600
    fresh = facts.as_of()
    _late_win(world, sales_rep)

    assert tasks.refresh_facts() == fresh.deals  # minutes old: kept
    assert facts.as_of() == fresh

    FactsRefresh.objects.update(refreshed_at=timezone.now() - timedelta(minutes=6))
    assert tasks.refresh_facts() == fresh.deals + 1  # past half the interval: rebuilt
    assert facts.as_of().refreshed_at > fresh.refreshed_at


def test_beat_runs_the_refresh(settings):
    entry = celery_app.conf.beat_schedule["insights-refresh-facts"]
    assert entry["task"] == "insights.refresh_facts" and entry["schedule"] == float(
        settings.INSIGHT_FACTS_SECONDS
    )
    assert "insights.refresh_facts" in celery_app.tasks


def test_the_pages_say_as_of_when(client, manager, world):
    client.force_login(manager)
    moment = timezone.localtime(facts.as_of().refreshed_at)
    for page in ("/insights/", "/insights/goals/"):
        text = client.get(page).content.decode()
        assert "Revenue figures as of" in text and f"{moment:%H:%M}" in text, page

    FactsRefresh.objects.all().delete()
    assert "Revenue figures are not computed yet" in client.get("/insights/").content.decode()


def test_the_command_rebuilds_them_now(world, sales_rep):
    before = revenue.summary(world.segment())["deals"]
    _late_win(world, sales_rep)
    out = StringIO()

    call_command("rebuild_insight_facts", stdout=out)

    assert revenue.summary(world.segment())["deals"] == before + 1
    assert f"{DealFact.objects.count():,} closed deals" in out.getvalue()

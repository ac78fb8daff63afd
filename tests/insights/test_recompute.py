"""Recompute now: a reference manager has the revenue facts rebuilt by the worker at once, instead
of at beat's next run; a second ask while one rebuild is fresh rebuilds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from insights import facts, revenue, tasks
from insights.models import FactsRefresh
from tests.builders import catalogue
from tests.insights.revenue_world import build
from tests.insights.test_facts import _late_win

pytestmark = pytest.mark.django_db

BUTTON = "Recompute now"


@pytest.fixture
def world(sales_rep, other_rep, account_owner, marketer):
    return build(sales_rep, other_rep, account_owner, marketer)


@pytest.fixture
def queued(monkeypatch):
    """The tasks' messages as the broker would get them (the broker is outside the app)."""
    sent = []
    monkeypatch.setattr(tasks.refresh_facts_now, "delay", lambda asked_at: sent.append(asked_at))
    return sent


def test_a_manager_has_a_new_win_counted_now(client, manager, world, sales_rep, queued):
    client.force_login(manager)
    before = revenue.summary(world.segment())
    first = facts.as_of()
    _late_win(world, sales_rep)
    page = client.get("/insights/").content.decode()
    assert BUTTON in page

    answer = client.post("/insights/recompute/", {"back": "revenue"}, follow=True)

    assert answer.redirect_chain == [("/insights/revenue/", 302)]
    assert "being recomputed" in answer.content.decode()
    assert len(queued) == 1 and revenue.summary(world.segment()) == before  # the worker's job
    assert tasks.refresh_facts_now(queued[0]) == facts.as_of().deals
    assert revenue.summary(world.segment())["deals"] == before["deals"] + 1
    assert facts.as_of().refreshed_at > first.refreshed_at
    assert FactsRefresh.objects.count() == 1


def test_an_ask_answered_by_a_rebuild_since_rebuilds_nothing(world, sales_rep):
    asked_at = timezone.now()
    done = facts.refresh()  # beat, or a colleague's click, got there first
    _late_win(world, sales_rep)

    assert facts.refresh(after=asked_at) == done
    assert facts.as_of() == done  # the late win waits for the next rebuild

    older = facts.refresh(after=done.refreshed_at + timedelta(microseconds=1))
    assert older.refreshed_at > done.refreshed_at  # asked after the last rebuild began: rebuilt


def test_the_goals_page_offers_it_and_comes_back_to_goals(client, manager, world, queued):
    client.force_login(manager)
    assert BUTTON in client.get("/insights/goals/").content.decode()
    answer = client.post("/insights/recompute/", {"back": "goals"})
    assert answer.status_code == 302 and answer["Location"] == "/insights/goals/" and len(queued) == 1


def test_only_pages_of_the_facts_offer_it_and_only_to_managers(client, manager, world, queued):
    client.force_login(manager)
    assert BUTTON not in client.get("/insights/fulfilment/").content.decode()

    executive = catalogue.make_user("erin", Role.EXECUTIVE)
    client.force_login(executive)
    assert BUTTON not in client.get("/insights/").content.decode()
    assert client.post("/insights/recompute/", {"back": "revenue"}).status_code == 403
    assert queued == []


def test_a_page_that_does_not_come_from_the_facts_is_refused(client, manager, queued):
    client.force_login(manager)
    answer = client.post("/insights/recompute/", {"back": "fulfilment"})
    assert answer.status_code == 400 and b"back" in answer.content and queued == []


def test_with_the_broker_down_the_manager_is_told(client, manager, world, monkeypatch):
    def down(asked_at):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.refresh_facts_now, "delay", down)
    client.force_login(manager)
    answer = client.post("/insights/recompute/", {"back": "revenue"}, follow=True)
    assert answer.status_code == 200 and "could not be recomputed now" in answer.content.decode()

"""Fulfilment figures (insights.fulfilment) on a hand-built program whose numbers are known.

Ten requests created in March 2026 (one more in February, outside the range), their history moved
to known moments: four reached "scheduled" after 10, 20, 30 and 100 hours (the median of an even
count interpolates: 25 h; the 90th percentile 30 + 0.7 × 70 = 79 h); three are fulfilled and three
ended otherwise (50 %); the account owner, the customer and the program each declined one, and one
expired.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights import fulfilment as f
from insights.measures import fulfilled_requests
from insights.segments import Segment
from requests_app.models import RequestEvent
from requests_app.statuses import RequestStatus
from tests.builders import catalogue
from tests.builders.fulfilment import (
    CUSTOMER_REASON,
    DAY_ONE,
    MARCH,
    Program,
    make_fulfilment_program,
    new_request,
    place,
)
from workflows.models import Task

pytestmark = pytest.mark.django_db

S = RequestStatus


@pytest.fixture
def program(sales_rep, account_owner, manager) -> Program:
    return make_fulfilment_program(sales_rep, account_owner, manager)


def test_requests_by_status_keeps_every_status_in_workflow_order(program):
    counts = f.status_counts(MARCH)

    assert [status for status, _n in counts] == list(RequestStatus)
    assert dict(counts) == {
        S.SUBMITTED: 1,
        S.IN_REVIEW: 2,  # declined by the owner and by the customer: back to review
        S.NEEDS_INFO: 0,
        S.AWAITING_OWNER: 0,
        S.CUSTOMER_ASKED: 0,
        S.SCHEDULED: 1,
        S.COMPLETED: 2,
        S.CLOSED: 1,
        S.DECLINED: 1,
        S.CANCELLED: 1,
        S.EXPIRED: 1,
    }


def test_time_to_schedule_median_interpolates_and_the_first_scheduling_counts(program):
    figures = f.time_to_schedule(MARCH)

    assert figures["requests"] == 4
    assert figures["median_hours"] == pytest.approx(25)
    assert figures["p90_hours"] == pytest.approx(79)


def test_time_to_schedule_per_activity_type(program):
    rows = {row["activity_type__name"]: row for row in f.time_to_schedule_by_type(MARCH)}

    call, visit = (
        rows[catalogue.activity_type("reference_call").name],
        rows[catalogue.activity_type("site_visit").name],
    )
    assert (call["requests"], call["median_hours"], call["p90_hours"]) == (
        3,
        pytest.approx(20),
        pytest.approx(84),
    )
    assert (visit["requests"], visit["median_hours"], visit["p90_hours"]) == (
        1,
        pytest.approx(30),
        pytest.approx(30),
    )
    assert len(rows) == 2


def test_share_fulfilled_is_of_the_requests_that_ended(program):
    assert f.share_fulfilled(MARCH) == {
        f.Fulfilment.FULFILLED: 3,
        f.Fulfilment.UNFULFILLED: 3,
        f.Fulfilment.STILL_OPEN: 4,
        "ended": 6,
        "share": pytest.approx(50),
    }


def test_breaches_by_step_count_late_done_and_open_overdue_tasks(program):
    request = program.by_name["scheduled"]
    Task.objects.all().delete()
    now = timezone.now()
    due = DAY_ONE + timedelta(days=1)
    first, second, third, fourth = program.steps[:4]

    def task(step, **fields):
        Task.objects.create(request=request, step=step, title=step.name, assignee_role=step.role, **fields)

    task(first, status=Task.Status.DONE, due_at=due, completed_at=due + timedelta(hours=1))  # late
    task(second, status=Task.Status.DONE, due_at=due, completed_at=due - timedelta(hours=1))  # in time
    task(third, due_at=now - timedelta(hours=1))  # open, overdue
    task(fourth, due_at=now + timedelta(days=1))  # open, not yet due
    outside = program.by_name["february"]
    Task.objects.create(
        request=outside, step=first, title="x", assignee_role=first.role, due_at=due - timedelta(days=40)
    )

    rows = {row["step_id"]: (row["tasks"], row["late"]) for row in f.breaches_by_step(MARCH, now)}

    assert rows == {first.pk: (1, 1), second.pk: (1, 0), third.pk: (1, 1), fourth.pk: (1, 0)}
    assert list(f.requests_late_at(MARCH, third.pk, now)) == [request]
    assert not f.requests_late_at(MARCH, fourth.pk, now).exists()


def test_declines_and_expiries_by_who_with_their_reasons(program):
    by_who = {who: (events, reasons) for who, events, reasons in f.declines_by_who(MARCH)}

    assert by_who == {
        f.Decliner.PROGRAM: (1, 1),
        f.Decliner.ACCOUNT_OWNER: (1, 1),
        f.Decliner.CUSTOMER: (1, 1),
        f.Decliner.EXPIRY: (1, 0),  # the sweep gives no reason
    }
    customer = f.requests_declined(MARCH, [f.Decliner.CUSTOMER]).annotate(
        reason=f.decline_note(MARCH, [f.Decliner.CUSTOMER])
    )
    assert [(r.pk, r.reason) for r in customer] == [(program.by_name["customer_no"].pk, CUSTOMER_REASON)]


def test_the_customer_decline_names_the_contact(program):
    event = RequestEvent.objects.get(request=program.by_name["customer_no"], action="decline_ask")
    assert event.actor_contact_id is not None and event.actor_id is None


def test_filters_change_the_figures(program, sales_rep, account_owner):
    visits = Segment(MARCH.start, MARCH.end, activity_type=catalogue.activity_type("site_visit").pk)

    assert f.time_to_schedule(visits) == {
        "requests": 1,
        "median_hours": pytest.approx(30),
        "p90_hours": pytest.approx(30),
    }
    assert sum(n for _s, n in f.status_counts(visits)) == 1
    assert f.share_fulfilled(visits)["share"] == pytest.approx(100)
    assert all(events == 0 for _who, events, _r in f.declines_by_who(visits))

    other = catalogue.industry("31")
    request, _contact = new_request(sales_rep, account_owner, industry=other)
    place(request, DAY_ONE)
    elsewhere = Segment(MARCH.start, MARCH.end, industry=other.pk)
    assert dict(f.status_counts(elsewhere))[S.SUBMITTED] == 1
    assert sum(n for _s, n in f.status_counts(elsewhere)) == 1
    assert f.time_to_schedule(elsewhere)["requests"] == 0
    assert f.time_to_schedule(elsewhere)["median_hours"] is None
    assert f.share_fulfilled(elsewhere)["share"] is None


def test_fulfilled_requests_are_those_that_reached_completed_in_the_range(program):
    assert set(fulfilled_requests(MARCH)) == {
        program.by_name["completed"],
        program.by_name["closed"],
        program.by_name["slow"],
    }

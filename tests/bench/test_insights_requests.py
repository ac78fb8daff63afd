"""The bench's request top-up (bench/insights_data.py `top_up_requests`): on a tiny catalogue, the
added requests carry what the fulfilment figures read — statuses, the move to "scheduled", declines
with reasons, workflow tasks past their due time — and a second top-up to the same size adds none."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from bench.insights_data import top_up_requests
from insights import fulfilment as f
from insights.segments import Segment
from requests_app.models import ReferenceRequest, RequestEvent
from tests.builders import catalogue
from workflows.models import Task

pytestmark = pytest.mark.django_db

ADDED = 60


@pytest.fixture
def tiny_catalogue(sales_rep, other_rep, account_owner, manager):
    """Two reps' deals and a few contacts at accounts of a third; a manager works the requests."""
    if connection.vendor != "postgresql":
        pytest.skip("the top-up is PostgreSQL SQL (the benchmark runs on PostgreSQL)")
    for rep in (sales_rep, other_rep):
        for _ in range(3):
            catalogue.make_opportunity(rep)
    for _ in range(3):
        account = catalogue.make_account(account_owner)
        catalogue.make_contact(account)
        catalogue.make_contact(account)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")  # the draws of this session: the same every run


def two_years() -> Segment:
    today = timezone.localdate()
    return Segment(today - timedelta(days=730), today)


def test_top_up_adds_requests_the_fulfilment_figures_see(tiny_catalogue, manager):
    segment = two_years()
    before = sum(n for _status, n in f.status_counts(segment))
    present = ReferenceRequest.objects.count()

    assert top_up_requests(present + ADDED) == ADDED

    counts = dict(f.status_counts(segment))
    assert sum(counts.values()) == before + ADDED
    assert counts[f.RequestStatus.CLOSED] > 0
    assert sum(counts[status] for status in f.UNFULFILLED_STATUSES) > 0
    # A deal's request is asked by the deal's owner (a rep), a campaign's by the program.
    assert (
        not ReferenceRequest.objects.filter(opportunity__isnull=False)
        .exclude(requester=F("opportunity__owner"))
        .exists()
    )
    assert set(ReferenceRequest.objects.filter(opportunity=None).values_list("requester", flat=True)) == {
        manager.pk
    }
    timing = f.time_to_schedule(segment)
    assert timing["requests"] > 0
    assert 0 < timing["median_hours"] <= timing["p90_hours"]
    assert f.share_fulfilled(segment)["share"] is not None
    breaches = f.breaches_by_step(segment)
    assert any(row["late"] for row in breaches)
    declines = {who: events for who, events, _with_reason in f.declines_by_who(segment)}
    assert declines[f.Decliner.PROGRAM] > 0
    assert RequestEvent.objects.filter(action="decline").exclude(note="").exists()


def test_every_added_request_has_its_submission_and_its_tasks_respect_the_constraints(tiny_catalogue):
    top_up_requests(ADDED)

    requests = ReferenceRequest.objects.all()
    assert requests.count() == ADDED
    assert not requests.exclude(events__action="submit").exists()
    # Its status is the one its last history row moved it to.
    for request in requests.prefetch_related("events"):
        moves = [event for event in request.events.all() if event.to_status]
        assert moves[-1].to_status == request.status
        assert moves[0].created_at == request.created_at
    open_tasks = Task.objects.filter(status=Task.Status.OPEN)
    assert open_tasks.exists()
    assert (
        not open_tasks.filter(request__status__in=f.ENDED_STATUSES)
        .exclude(request__status=f.RequestStatus.COMPLETED)
        .exists()
    )


def test_a_second_top_up_to_the_same_size_adds_nothing(tiny_catalogue):
    assert top_up_requests(ADDED) == ADDED
    assert top_up_requests(ADDED) == 0
    assert ReferenceRequest.objects.count() == ADDED

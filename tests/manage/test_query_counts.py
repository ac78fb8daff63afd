"""Query counts of the list and detail pages stay the same with few and with many rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.indexing import search_index_rebuild
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from workflows.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_queries(client, manager):
    """What every signed-in page costs before its own content: session, user, the user's groups
    (roles) and the navigation's counts (My tasks, notifications). Measured on a bare page."""
    client.force_login(manager)
    with CaptureQueriesContext(connection) as bare:
        client.get(reverse("no-role"))
    return len(bare.captured_queries)


def _program(size: int, sales_rep, other_rep, manager, owner) -> list:
    """`size` requests in review, each with its own contact, history, tasks, an old activity and
    an event; the contacts share five accounts (so requests collide with each other) and stay
    under the per-account burnout limit."""
    accounts = [factories.make_account(owner) for _ in range(5)]
    requests = []
    for i in range(size):
        contact = factories.make_contact(accounts[i % 5])
        # Older than the burnout windows, so every contact can still be approved.
        factories.make_activity(contact, date.today() - timedelta(days=120 + i))
        rep = sales_rep if i % 2 else other_rep
        requests.append(drive_to(make_request(rep, contact), "in_review", contact, manager))
        event = Event.objects.create(
            title=f"Round table {i}", activity_type=factories.activity_type(), occurred_on=date.today()
        )
        event.speakers.add(contact)
        factories.make_contact(accounts[i % 5])  # an alternative candidate
    search_index_rebuild()
    return requests


@pytest.fixture(params=[3, 25], ids=["few", "many"])
def program(request, sales_rep, other_rep, manager, account_owner):
    return _program(request.param, sales_rep, other_rep, manager, account_owner)


def test_inbox(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + the requester filter's choices + page count + rows + candidates (prefetch)
    # + the bulk form's managers + the activity-type and region filter choices.
    with django_assert_max_num_queries(base_queries + 7):
        response = client.get(reverse("manage:home"), {"status": "open"})
    assert len(response.context["page"]) == len(program)
    # Biggest deal first: the amount in dollars is computed in the same query.
    with django_assert_max_num_queries(base_queries + 7):
        response = client.get(reverse("manage:home"), {"status": "open", "sort": "amount"})
    assert len(response.context["page"]) == len(program)


def test_my_tasks(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + page count + rows + people by queue (users, their groups).
    with django_assert_max_num_queries(base_queries + 4):
        response = client.get(reverse("tasks:list"))
    assert len(response.context["rows"]) == len(program)


def test_request_detail(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + the request + its deal's products + candidates + history rows + their notices
    # + tasks + the ranked alternatives (matching: catalogue, ranked rows, their contacts) + usage
    # of the contacts in play + colliding requests + their candidates + colliding events + their
    # speakers + the speakers' accounts + managers (reassign form) + the burnout limits' exact
    # answer for the contact in play (six queries per contact; a request has at most four).
    with django_assert_max_num_queries(base_queries + 16 + 6):
        response = client.get(reverse("manage:request", args=[program[0].pk]))
    assert len(response.context["collisions"]) >= len(program) // 5 - 1
    assert response.context["alternatives"]


def test_reference_lists(
    client, manager, program, customer_account, django_assert_max_num_queries, base_queries
):
    client.force_login(manager)
    # The base + count + rows (counts are subqueries) + the industry and region filter choices.
    for url in (reverse("manage:accounts"), reverse("manage:contacts")):
        with django_assert_max_num_queries(base_queries + 4):
            assert client.get(url).status_code == 200


def test_reference_details(
    client, manager, program, customer_account, django_assert_max_num_queries, base_queries
):
    client.force_login(manager)
    contact = program[0].candidates.get().contact
    # The base + the account + products, use cases, competitors, stewards, contacts, notes, status
    # changes, latest activities and their opportunities + the requests involving it.
    with django_assert_max_num_queries(base_queries + 11):
        assert client.get(reverse("manage:account", args=[contact.account_id])).status_code == 200
    # The base + the contact + activity types, blackouts, status changes, latest activities and
    # their opportunities + the requests involving it.
    with django_assert_max_num_queries(base_queries + 7):
        assert client.get(reverse("manage:contact", args=[contact.pk])).status_code == 200


def test_approvals(client, account_owner, program, manager, django_assert_max_num_queries, base_queries):
    for request in program:
        contact = request.candidates.get().contact
        drive_to(request, "awaiting_owner", contact, manager)
    client.force_login(account_owner)
    # The base + pending rows + answered rows.
    with django_assert_max_num_queries(base_queries + 2):
        response = client.get(reverse("sales:approvals"))
    assert len(response.context["pending"]) == len(program)


def test_events(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + page count + the events' rows (speaker and request counts are annotations).
    with django_assert_max_num_queries(base_queries + 2):
        response = client.get(reverse("manage:events"))
    assert response.status_code == 200
    assert len(response.context["page"]) == len(program)


def test_my_tasks_api(client, manager, program, django_assert_max_num_queries):
    client.force_login(manager)
    # Session, user, groups (role check) + one cursor page of tasks with their requests.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api-tasks"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(program)

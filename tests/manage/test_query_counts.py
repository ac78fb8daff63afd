"""Query counts of the list and detail pages stay the same with few and with many rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests import factories
from tests.workflows.builders import drive_to, make_request
from workflows.models import Event

pytestmark = pytest.mark.django_db

# Every signed-in page: session, user, the user's groups (roles), and the navigation's task counts.
BASE = 4


def _program(size: int, sales_rep, other_rep, manager, account) -> list:
    """`size` requests in review, each with its own contact, history, tasks and a past activity,
    asking contacts of one account (so each one collides with all the others), plus events."""
    requests = []
    for i in range(size):
        contact = factories.make_contact(account)
        factories.make_activity(contact, date.today() - timedelta(days=10 + i))
        rep = sales_rep if i % 2 else other_rep
        requests.append(drive_to(make_request(rep, contact), "in_review", contact, manager))
        event = Event.objects.create(
            title=f"Round table {i}", activity_type=factories.activity_type(), occurred_on=date.today()
        )
        event.speakers.add(contact)
    return requests


@pytest.fixture(params=[3, 25], ids=["few", "many"])
def program(request, sales_rep, other_rep, manager, customer_account):
    return _program(request.param, sales_rep, other_rep, manager, customer_account)


def test_inbox(client, manager, program, django_assert_max_num_queries):
    client.force_login(manager)
    # BASE + the requester filter's choices + page count + rows + candidates (prefetch)
    # + the bulk form's managers + the activity-type and region filter choices.
    with django_assert_max_num_queries(BASE + 7):
        response = client.get(reverse("manage:home"), {"status": "open"})
    assert len(response.context["page"]) == len(program)


def test_my_tasks(client, manager, program, django_assert_max_num_queries):
    client.force_login(manager)
    # BASE + page count + rows + people by queue (users, their groups).
    with django_assert_max_num_queries(BASE + 4):
        response = client.get(reverse("tasks:list"))
    assert len(response.context["rows"]) == len(program)


def test_request_detail(client, manager, program, django_assert_max_num_queries):
    client.force_login(manager)
    # BASE + the request + candidates + history rows + their notices + tasks + alternatives
    # + usage of the contacts in play + colliding requests + their candidates + colliding events
    # + their speakers + the speakers' accounts + managers (reassign form).
    with django_assert_max_num_queries(BASE + 13):
        response = client.get(reverse("manage:request", args=[program[0].pk]))
    assert len(response.context["collisions"]) >= len(program) - 1


def test_reference_lists(client, manager, program, customer_account, django_assert_max_num_queries):
    client.force_login(manager)
    # BASE + count + rows (counts are subqueries) + the industry and region filter choices.
    for url in (reverse("manage:accounts"), reverse("manage:contacts")):
        with django_assert_max_num_queries(BASE + 4):
            assert client.get(url).status_code == 200


def test_reference_details(client, manager, program, customer_account, django_assert_max_num_queries):
    client.force_login(manager)
    contact = program[0].candidates.get().contact
    # BASE + the account + products, use cases, competitors, stewards, contacts, notes, status
    # changes, latest activities and their opportunities + the requests involving it.
    with django_assert_max_num_queries(BASE + 11):
        assert client.get(reverse("manage:account", args=[customer_account.pk])).status_code == 200
    # BASE + the contact + activity types, blackouts, status changes, latest activities and
    # their opportunities + the requests involving it.
    with django_assert_max_num_queries(BASE + 7):
        assert client.get(reverse("manage:contact", args=[contact.pk])).status_code == 200


def test_approvals(client, account_owner, program, manager, django_assert_max_num_queries):
    for request in program:
        contact = request.candidates.get().contact
        drive_to(request, "awaiting_owner", contact, manager)
    client.force_login(account_owner)
    # BASE + pending rows + answered rows.
    with django_assert_max_num_queries(BASE + 2):
        response = client.get(reverse("sales:approvals"))
    assert len(response.context["pending"]) == len(program)

"""Query counts of the manager portal's list and detail pages stay the same with few and with many rows."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_inbox(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + the requester filter's choices + page count + rows + candidates (prefetch)
    # + the bulk form's managers + the activity-type and region filter choices + the erasure
    # requests waiting (count and first due date) + the nominations waiting.
    with django_assert_max_num_queries(base_queries + 9):
        response = client.get(reverse("manage:home"), {"status": "open"})
    assert len(response.context["page"]) == len(program)
    # Biggest deal first: the amount in dollars is computed in the same query.
    with django_assert_max_num_queries(base_queries + 9):
        response = client.get(reverse("manage:home"), {"status": "open", "sort": "amount"})
    assert len(response.context["page"]) == len(program)


def test_request_detail(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + the request + its deal's products + candidates + history rows + their notices
    # + tasks + the ranked alternatives (matching: catalogue, ranked rows, their contacts) + usage
    # of the contacts in play + colliding requests + their candidates + colliding events + their
    # speakers + the speakers' accounts + managers (reassign form); the burnout limits' live
    # figure (limits.selectors.availability_for, one statement however many contacts) for the
    # alternatives and, once more, for the contacts in play; the times the customer offered; the
    # planned events colliding (none here, so their speakers are not read).
    with django_assert_max_num_queries(base_queries + 16 + 1 + 1 + 1 + 1):
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
    # their opportunities + the requests involving it + the give-back, its balance against the
    # asks and the give-back form's request choices.
    with django_assert_max_num_queries(base_queries + 10):
        assert client.get(reverse("manage:contact", args=[contact.pk])).status_code == 200


def test_events(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + page count + the events' rows (speaker and request counts are annotations).
    with django_assert_max_num_queries(base_queries + 2):
        response = client.get(reverse("manage:events"))
    assert response.status_code == 200
    assert len(response.context["page"]) == len(program)

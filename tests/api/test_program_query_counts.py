"""Query counts of the program's list endpoints: the same with few and with many rows (the
`records` fixture makes 3 or 30 of each)."""

from datetime import date, timedelta

import pytest
from django.test import Client

from notifications.message import Message
from notifications.services import notify
from references.models import BlackoutPeriod
from tests.builders import catalogue
from tests.builders.search import product
from workflows.notices import TASK_DUE_SOON

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[3, 30], ids=["few", "many"])
def records(request, sales_rep, manager, account_owner):
    size = request.param
    soon = date.today() + timedelta(days=30)
    for n in range(size):
        account = catalogue.make_account(account_owner, products=[product("Analytics Cloud")])
        contact = catalogue.make_contact(account)
        BlackoutPeriod.objects.create(contact=contact, start=soon, end=soon)
        deal = catalogue.make_opportunity(sales_rep, currency="EUR" if n % 2 else "USD")
        deal.team.add(manager)
        activity = catalogue.make_activity(contact, date.today() - timedelta(days=n))
        activity.opportunities.add(deal)
        notify(kind=TASK_DUE_SOON.code, key=f"count:{n}", message=Message(title=f"N{n}"), users=[sales_rep])
    return size


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Session, user, groups (the role check) come first; then each list's own queries.
CASES = [
    # the page (with owner, taxonomies joined); products, use cases, competitors
    ("/api/accounts/", "rep", 3 + 1 + 3),
    ("/api/accounts/", "manager", 3 + 1 + 3),
    # the page (persona, account, released details as EXISTS)
    ("/api/contacts/", "rep", 3 + 1),
    # the page (preferences joined); willing activity types; blackouts
    ("/api/contacts/", "manager", 3 + 1 + 2),
    # the page (amount in USD as a subquery); products
    ("/api/opportunities/", "rep", 3 + 1 + 1),
    ("/api/opportunities/", "manager", 3 + 1 + 1),
    # the page; the deals served
    ("/api/activities/", "manager", 3 + 1 + 1),
    # the page
    ("/api/notifications/", "rep", 3 + 1),
]


@pytest.mark.parametrize(("url", "who", "queries"), CASES)
def test_list_queries_do_not_grow(
    url, who, queries, records, sales_rep, manager, django_assert_max_num_queries
):
    client = signed_in(sales_rep if who == "rep" else manager)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= records

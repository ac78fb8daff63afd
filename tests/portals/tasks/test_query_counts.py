"""Query counts of My tasks stay the same with few and with many rows."""

import pytest
from django.urls import reverse

from customers.erasure.services import erasure_ask
from tests.builders import catalogue

pytestmark = pytest.mark.django_db


def test_my_tasks(client, manager, account_owner, program, django_assert_max_num_queries, base_queries):
    account = catalogue.make_account(account_owner)
    for _ in program:  # as many erasure requests as tasks
        erasure_ask(contact=catalogue.make_contact(account))
    client.force_login(manager)
    # The base + page count + rows + people by queue (users, their groups) + erasure requests.
    with django_assert_max_num_queries(base_queries + 5):
        response = client.get(reverse("tasks:list"))
    assert len(response.context["rows"]) == len(program)
    assert len(response.context["erasures"]) == len(program)

"""Query counts of My tasks stay the same with few and with many rows."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_my_tasks(client, manager, program, django_assert_max_num_queries, base_queries):
    client.force_login(manager)
    # The base + page count + rows + people by queue (users, their groups).
    with django_assert_max_num_queries(base_queries + 4):
        response = client.get(reverse("tasks:list"))
    assert len(response.context["rows"]) == len(program)

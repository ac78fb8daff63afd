"""Query counts of the API's list endpoints stay the same with few and with many rows."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_my_tasks_api(client, manager, program, django_assert_max_num_queries):
    client.force_login(manager)
    # Session, user, groups (role check) + one cursor page of tasks with their requests.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api-tasks"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(program)

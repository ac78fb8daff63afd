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


def test_my_requests_api(client, sales_rep, program, django_assert_max_num_queries):
    client.force_login(sales_rep)
    mine = [request for request in program if request.requester_id == sales_rep.pk]
    # Session, user, groups (role check) + one cursor page of requests + their candidates.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("api-requests"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(mine)

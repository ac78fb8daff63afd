"""Tasks through the API: one task as its list shows it (404 outside `Task.objects.visible_to`),
and My tasks filtered by due time, request, kind, role queue and lateness."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.services import nomination_submit
from workflows.models import Task
from workflows.nominations import nomination_qualify

pytestmark = pytest.mark.django_db


def _tasks(client, **params):
    response = client.get(reverse("api-tasks"), params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_manager_reads_a_task_of_the_program(client, manager, program):
    task = Task.objects.open().filter(request=program[0]).first()
    client.force_login(manager)

    body = client.get(reverse("api-task", args=[task.pk])).json()

    assert body["id"] == task.pk
    assert body["request_id"] == program[0].pk
    assert body["kind"] == "request"
    assert body["status"] == Task.Status.OPEN
    assert body["title"] == task.title


def test_a_rep_cannot_read_a_task_of_the_program(rep_client, program):
    task = Task.objects.open().filter(request=program[0]).first()

    response = rep_client.get(reverse("api-task", args=[task.pk]))

    assert response.status_code == 404
    assert task.title not in response.content.decode()


def test_my_tasks_filtered_by_request_and_kind(client, manager, program, sales_rep, customer_account):
    client.force_login(manager)
    nomination = nomination_submit(
        nominator=sales_rep, account=customer_account, contact_name="Nell Nominee", reason="Presents well."
    )
    nomination_qualify(nomination_id=nomination.pk, actor=manager)

    only_first = _tasks(client, request=program[0].pk)
    by_nomination = _tasks(client, kind="nomination")
    by_request = _tasks(client, kind="request")

    assert {t["request_id"] for t in only_first} == {program[0].pk}
    assert all(t["nomination_id"] for t in by_nomination)
    assert {t["request_id"] for t in by_request} == {r.pk for r in program}


def test_my_tasks_filtered_by_due_time_and_lateness(client, manager, program):
    client.force_login(manager)
    late = Task.objects.open().filter(request=program[0]).first()
    Task.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    cut = (timezone.now() - timedelta(days=1)).isoformat()

    before = _tasks(client, due_before=cut)
    after = _tasks(client, due_after=cut)
    only_late = _tasks(client, late="true")

    assert [t["id"] for t in before] == [late.pk]
    assert late.pk not in {t["id"] for t in after}
    assert [t["id"] for t in only_late] == [late.pk]


@pytest.mark.parametrize(
    "params", [{"due_before": "not a time"}, {"request": "²"}, {"request": 2**40}, {"kind": "meeting"}]
)
def test_my_tasks_refuse_a_bad_filter_naming_it(client, manager, params):
    client.force_login(manager)

    response = client.get(reverse("api-tasks"), params)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_a_task_detail_costs_the_same_for_any_program(
    client, manager, program, django_assert_max_num_queries
):
    task = Task.objects.open().filter(request=program[-1]).first()
    client.force_login(manager)
    # Session, user, groups (role check), the task with its request and step.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api-task", args=[task.pk]))
    assert response.status_code == 200


def test_filtered_tasks_cost_the_same_for_any_program(
    client, manager, program, django_assert_max_num_queries
):
    client.force_login(manager)
    # Session, user, groups (role check), one cursor page of tasks with their requests.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api-tasks"), {"kind": "request", "role": "manager", "late": "false"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(program)

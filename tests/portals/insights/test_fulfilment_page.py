"""The Fulfilment insights page and its drill-down list of requests (`insights:requests`)."""

import csv
import io

import pytest
from django.urls import reverse

from core.roles import Role
from requests_app.statuses import RequestStatus
from tests.builders import catalogue
from tests.builders.fulfilment import CUSTOMER_REASON, MARCH, OWNER_REASON, make_fulfilment_program

pytestmark = pytest.mark.django_db

S = RequestStatus
PAGE = reverse("insights:section", args=["fulfilment"])
LIST = reverse("insights:requests")


@pytest.fixture
def known(sales_rep, account_owner, manager):
    return make_fulfilment_program(sales_rep, account_owner, manager)


@pytest.fixture
def executive(db):
    return catalogue.make_user("erin", Role.EXECUTIVE, first_name="Erin", last_name="Exec")


def _get(client, url, **params):
    return client.get(url, {**MARCH.params(), **params})


def _listed(response) -> set[int]:
    return {row.pk for row in response.context["page"].object_list}


def test_the_page_shows_the_known_figures(client, manager, known):
    client.force_login(manager)
    response = _get(client, PAGE)

    assert response.status_code == 200
    headlines = {h.label: h.value for h in response.context["view"].headlines}
    assert headlines["Median time to schedule"] == pytest.approx(25 / 24)
    assert headlines["90th percentile to schedule"] == pytest.approx(79 / 24)
    assert headlines["Share fulfilled"] == pytest.approx(50)
    text = response.content.decode()
    assert "Requests by status" in text and "Declined by the customer" in text
    assert "50.0 %" in text
    customer = known.by_name["customer_no"].chosen_contact
    assert customer is None or customer.email not in text


def test_every_table_row_links_to_its_requests(client, manager, known):
    client.force_login(manager)
    tables = {t.key: t for t in _get(client, PAGE).context["view"].tables}

    assert {"requests-by-status", "time-to-schedule", "share-fulfilled", "breaches", "declines"} <= set(
        tables
    )
    for table in tables.values():
        assert all(row.link.startswith(LIST) for row in table.rows)


@pytest.mark.parametrize("role", [Role.SALES, Role.MARKETING])
def test_sales_and_marketing_may_not_read_it(client, role):
    client.force_login(catalogue.make_user(None, role))

    assert client.get(PAGE).status_code == 403
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("insights:export", args=["fulfilment", "declines", "csv"])).status_code == 403


def test_an_executive_reads_the_page_and_the_list_without_links_to_the_manager_portal(
    client, executive, known
):
    client.force_login(executive)

    assert _get(client, PAGE).status_code == 200
    response = _get(client, LIST, status=S.DECLINED)
    assert response.status_code == 200
    assert _listed(response) == {known.by_name["declined"].pk}
    assert reverse("manage:request", args=[known.by_name["declined"].pk]) not in response.content.decode()


def test_the_time_to_schedule_export_has_the_figures(client, manager, known):
    client.force_login(manager)
    url = reverse("insights:export", args=["fulfilment", "time-to-schedule", "csv"])
    response = _get(client, url)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Activity type", "Scheduled requests"]
    assert rows[-1] == ["All types", "4", "25.0", "1.0", "79.0", "3.3"]


def test_the_list_by_status_shows_the_reason_that_ended_it(client, manager, known):
    client.force_login(manager)
    declined = known.by_name["declined"]
    response = _get(client, LIST, status=S.DECLINED)

    assert _listed(response) == {declined.pk}
    assert response.context["page"].object_list[0].reason == "Decline: the reason"
    assert reverse("manage:request", args=[declined.pk]) in response.content.decode()


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"ended": "declined", "by": "owner"}, {"owner_no"}),
        ({"ended": "declined", "by": "customer"}, {"customer_no"}),
        ({"ended": "declined"}, {"owner_no", "customer_no", "declined"}),
        ({"ended": "expired"}, {"expired"}),
        ({"reached": "completed"}, {"completed", "closed", "slow"}),
        ({"scheduled": "yes"}, {"scheduled", "completed", "closed", "slow"}),
        ({"fulfilment": "unfulfilled"}, {"declined", "expired", "cancelled"}),
        ({"fulfilment": "open"}, {"scheduled", "submitted", "owner_no", "customer_no"}),
        ({"status": S.SUBMITTED}, {"submitted"}),
    ],
)
def test_the_list_holds_the_rows_behind_each_figure(client, manager, known, params, names):
    client.force_login(manager)

    assert _listed(_get(client, LIST, **params)) == {known.by_name[name].pk for name in names}


def test_the_declines_list_shows_their_reasons(client, manager, known):
    client.force_login(manager)
    text = _get(client, LIST, ended="declined").content.decode()

    assert OWNER_REASON in text and CUSTOMER_REASON in text


def test_the_late_step_list(client, manager, known):
    from django.utils import timezone

    from workflows.models import Task

    client.force_login(manager)
    step = known.steps[0]
    Task.objects.filter(step=step).update(completed_at=None, status=Task.Status.OPEN)
    Task.objects.filter(step=step, request=known.by_name["submitted"]).update(due_at=timezone.now())
    Task.objects.filter(step=step).exclude(request=known.by_name["submitted"]).delete()

    assert _listed(_get(client, LIST, late_step=step.pk)) == {known.by_name["submitted"].pk}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"late_step": "x"},
        {"late_step": "²"},
        {"ended": "cancelled"},
        {"end": "2026-02-01"},
    ],
)
def test_bad_filters_are_a_400_not_a_500(client, manager, params):
    client.force_login(manager)

    assert _get(client, LIST, **params).status_code == 400


def test_the_page_costs_the_same_queries_with_more_requests(
    client, manager, program, base_queries, django_assert_max_num_queries
):
    client.force_login(manager)
    # The signed-in page's own (base_queries); the filter form's five choices; status counts,
    # time to schedule overall and per type, share fulfilled, breaches, declines: one each; the
    # names of the types and of the steps counted, read after their counts: one each.
    with django_assert_max_num_queries(base_queries + 5 + 6 + 2):
        assert client.get(PAGE).status_code == 200


def test_the_list_costs_the_same_queries_with_more_requests(
    client, manager, program, base_queries, django_assert_max_num_queries
):
    client.force_login(manager)
    # The signed-in page's own; the form's six choices (five filters and the workflow steps);
    # the count and the page of rows (requester and type joined, schedule and reason annotated).
    with django_assert_max_num_queries(base_queries + 6 + 2):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == len(program)


def test_the_breaches_headline_counts_late_tasks_and_the_step_row_links_them(client, manager, known):
    from datetime import timedelta

    from django.utils import timezone

    from workflows.models import Task

    client.force_login(manager)
    Task.objects.all().delete()
    step, request = known.steps[0], known.by_name["submitted"]
    Task.objects.create(
        request=request,
        step=step,
        title=step.name,
        assignee_role=step.role,
        due_at=timezone.now() - timedelta(hours=2),
    )
    view = _get(client, PAGE).context["view"]

    assert {h.label: h.value for h in view.headlines}["Service-level breaches"] == 1
    (row,) = next(t for t in view.tables if t.key == "breaches").rows
    assert row.cells[1:] == (1, 1, 100.0)
    assert f"late_step={step.pk}" in row.link

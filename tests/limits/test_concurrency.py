"""Concurrent approvals and concurrent runs of the job, on PostgreSQL: limits hold."""

import threading
from datetime import date, timedelta

import pytest
from django.db import close_old_connections, connection, transaction

from core.errors import Conflict
from limits.models import ContactUsage, LimitRun
from limits.services import limit_check
from limits.usage import usage_recompute
from references.models import StatusChange
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from tests.concurrency import race
from workflows.services import request_transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 8


def _approve(request: ReferenceRequest, contact, manager):
    return lambda: (
        request_transition(request_id=request.pk, action="approve", actor=manager, contact=contact.pk).status
    )


def test_approvals_racing_for_one_contacts_last_slots_give_exactly_that_many(
    sales_rep, manager, account_owner
):
    contact = factories.make_contact(factories.make_account(account_owner))
    today = date.today()
    for n in (60, 30):  # two of four slots used, rest long over: two left
        factories.make_activity(contact, today - timedelta(days=n))
    requests = [
        drive_to(make_request(sales_rep, contact), "in_review", contact, manager) for _ in range(THREADS)
    ]

    results = race([_approve(request, contact, manager) for request in requests])

    refused = [r for r in results if isinstance(r, Conflict)]
    assert results.count("awaiting_owner") == 2 and len(refused) == THREADS - 2, results
    assert all("4 reference activities in the last 90 days" in error.message for error in refused)
    assert all("Available from" in error.message for error in refused)
    assert ReferenceRequest.objects.filter(chosen_contact=contact, status="awaiting_owner").count() == 2
    check = limit_check(contact=contact, activity_type=factories.activity_type(), on_date=today)
    assert check.slots_left == 0


def test_approvals_racing_for_an_accounts_last_slots_give_exactly_that_many(
    sales_rep, manager, account_owner
):
    account = factories.make_account(account_owner)
    today = date.today()
    busy = [factories.make_contact(account) for _ in range(2)]
    for contact in busy:
        for n in (50, 20):  # four of the account's six slots used
            factories.make_activity(contact, today - timedelta(days=n))
    fresh = [factories.make_contact(account) for _ in range(THREADS)]
    requests = [drive_to(make_request(sales_rep, c), "in_review", c, manager) for c in fresh]

    results = race(
        [_approve(request, contact, manager) for request, contact in zip(requests, fresh, strict=True)]
    )

    assert results.count("awaiting_owner") == 2, results
    assert all("across its contacts" in r.message for r in results if isinstance(r, Conflict))
    assert (
        ReferenceRequest.objects.filter(chosen_contact__account=account, status="awaiting_owner").count() == 2
    )


def test_two_runs_of_the_job_at_once_change_things_once(policy, manager, account_owner):
    today = date.today()
    for _ in range(3):
        contact = factories.make_contact(factories.make_account(account_owner))
        for n in (80, 60, 40, 20):
            factories.make_activity(contact, today - timedelta(days=n))

    results = race([lambda: usage_recompute(today=today), lambda: usage_recompute(today=today)])

    assert sorted(r.rested for r in results) == [0, 3], results
    assert StatusChange.objects.filter(reason__startswith="Burnout limit").count() == 3
    assert LimitRun.objects.count() == 1
    assert ContactUsage.objects.filter(state="limited").count() == 3


def test_an_activity_committed_while_the_job_runs_is_judged_by_the_next_run(policy, account_owner):
    today = date.today()
    contact = factories.make_contact(factories.make_account(account_owner))
    factories.make_activity(contact, today - timedelta(days=40))
    usage_recompute(today=today)
    written, job_done = threading.Event(), threading.Event()

    def record_then_commit_after_the_job():
        close_old_connections()
        try:
            with transaction.atomic():
                factories.make_activity(contact, today - timedelta(days=2))  # noted, not yet committed
                written.set()
                assert job_done.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=record_then_commit_after_the_job)
    writer.start()
    assert written.wait(timeout=30)
    during = usage_recompute(today=today)  # cannot see the activity, nor take its note
    job_done.set()
    writer.join(timeout=30)

    assert during.judged == 0 and ContactUsage.objects.get(contact=contact).used == 1
    after = usage_recompute(today=today)
    assert after.judged == 1 and ContactUsage.objects.get(contact=contact).used == 2

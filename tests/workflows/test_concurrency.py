"""Concurrent clicks on PostgreSQL: exactly one transition wins, the other is told who acted."""

import pytest

from core.errors import Conflict
from core.roles import Role
from requests_app.models import ReferenceRequest, RequestEvent
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from tests.concurrency import race
from workflows.models import EventNotice, Task
from workflows.services import request_transition
from workflows.sweep import workflow_sweep

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_managers_approving_at_once_make_one_transition(sales_rep, customer_contact, manager):
    second = factories.make_user("mo", Role.MANAGER, first_name="Mo", last_name="Second")
    request = drive_to(make_request(sales_rep, customer_contact), "in_review", customer_contact, manager)

    def approve(actor):
        return lambda: (
            request_transition(
                request_id=request.pk, action="approve", actor=actor, contact=customer_contact.pk
            ).status
        )

    results = race([approve(manager), approve(second)])

    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1 and "awaiting_owner" in results, results
    conflict = conflicts[0]
    assert "already approved by" in conflict.message
    assert ReferenceRequest.objects.get(pk=request.pk).status == "awaiting_owner"
    assert RequestEvent.objects.filter(request=request, action="approve").count() == 1
    assert Task.objects.filter(request=request, status="open").count() == 1
    assert Task.objects.filter(request=request, title="Account owner approval").count() == 1
    assert EventNotice.objects.filter(event__request=request, kind="approval_needed").count() == 1


def test_two_sweeps_at_once_escalate_once(sales_rep, customer_contact, manager):
    request = drive_to(make_request(sales_rep, customer_contact), "awaiting_owner", customer_contact, manager)
    approval = Task.objects.get(request=request, status="open")
    later = approval.due_at.replace(year=approval.due_at.year + 1)

    results = race([lambda: workflow_sweep(now=later).escalated, lambda: workflow_sweep(now=later).escalated])

    assert sorted(results) == [0, 1], results
    assert RequestEvent.objects.filter(request=request, action="escalate").count() == 1

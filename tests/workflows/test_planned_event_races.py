"""Reps taking the last seats of a planned event at the same moment, on PostgreSQL: the event's
row lock lets exactly `capacity` sign-ups through."""

import pytest

from core.errors import Conflict
from tests.builders import catalogue
from tests.builders.requests import make_planned_event
from tests.concurrency import race
from workflows.models import EventSignup
from workflows.planned_events import event_signup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_racing_signups_never_exceed_capacity(marketer, sales_rep, customer_account):
    planned = make_planned_event(marketer, catalogue.make_contact(customer_account), capacity=3)
    deals = [catalogue.make_opportunity(sales_rep) for _ in range(8)]

    def sign_up(deal):
        return lambda: event_signup(planned_event_id=planned.pk, opportunity=deal, actor=sales_rep)

    results = race([sign_up(deal) for deal in deals])

    assert sum(isinstance(r, EventSignup) for r in results) == 3, results
    assert sum(isinstance(r, Conflict) for r in results) == 5, results
    assert EventSignup.objects.filter(planned_event=planned).count() == 3

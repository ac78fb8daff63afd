"""A scheduled time in the year 9999 reached the business calendar, whose count of business hours
up to it overflowed (OverflowError, a 500): the workflow refuses it on the field."""

from datetime import UTC, datetime

import pytest

from core.errors import InvalidInput
from requests_app.models import RequestStatus
from tests.builders.requests import drive_to
from workflows.services import request_transition


@pytest.mark.parametrize("moment", [datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), "9999-12-31T23:59:59Z"])
def test_scheduling_in_the_year_9999_is_refused_on_the_field(manager, ref_request, customer_contact, moment):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    with pytest.raises(InvalidInput) as refused:
        request_transition(request_id=ref_request.pk, action="schedule", actor=manager, scheduled_for=moment)
    assert refused.value.field == "scheduled_for"
    ref_request.refresh_from_db()
    assert ref_request.status == RequestStatus.CUSTOMER_ASKED


def test_a_time_within_the_years_rms_takes_is_scheduled(manager, ref_request, customer_contact):
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    moment = datetime(2199, 12, 31, 12, 0, tzinfo=UTC)
    moved = request_transition(
        request_id=ref_request.pk,
        action="schedule",
        actor=manager,
        scheduled_for=moment,
        schedule_anyway=True,
    )
    assert moved.status == RequestStatus.SCHEDULED

"""Each event site writes its webhook in its own transaction, with ids and codes only: a request
moving, an activity recorded (by a request or an event), a contact's status changed (by a
manager or by the limits job), a contact reaching a limit."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from limits.usage import usage_recompute
from references.services import contact_change_status
from requests_app.history import request_event_write
from requests_app.statuses import RequestStatus
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request
from webhooks.models import Message
from webhooks.statuses import EventType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def listening(subscribe, published):
    return subscribe()


def sent(event_type: str) -> list[dict]:
    return list(
        Message.objects.filter(event_type=event_type).order_by("id").values_list("payload", flat=True)
    )


def assert_no_personal_data(contact) -> None:
    """Nothing sent names the contact or carries their email or phone."""
    everything = json.dumps(list(Message.objects.values_list("payload", flat=True)))
    for value in (contact.first_name, contact.last_name, contact.email, contact.phone):
        if value:
            assert value not in everything


def test_a_request_moving_sends_its_status_change(sales_rep, customer_contact, manager):
    request = make_request(sales_rep, customer_contact)
    drive_to(request, RequestStatus.SCHEDULED, customer_contact, manager)

    moves = sent(EventType.REQUEST_STATUS_CHANGED)
    assert [(m["from_status"], m["to_status"]) for m in moves][:2] == [
        (None, RequestStatus.SUBMITTED),
        (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW),
    ]
    assert moves[-1]["to_status"] == RequestStatus.SCHEDULED
    claim = moves[1]
    assert claim["request_id"] == request.pk
    assert claim["opportunity_id"] == request.opportunity_id
    assert (claim["action"], claim["actor_id"]) == ("claim", manager.pk)
    assert claim["at"]
    assert_no_personal_data(customer_contact)


def test_a_history_row_without_a_status_change_sends_nothing(ref_request, manager):
    Message.objects.all().delete()
    status = ref_request.status
    request_event_write(
        request=ref_request, actor=manager, action="escalate", from_status=status, to_status=status
    )
    request_event_write(request=ref_request, actor=manager, action="feedback")
    assert sent(EventType.REQUEST_STATUS_CHANGED) == []


def test_an_activity_recorded_by_a_request_is_sent(sales_rep, customer_contact, manager):
    request = make_request(sales_rep, customer_contact)
    drive_to(request, RequestStatus.COMPLETED, customer_contact, manager)

    (activity,) = sent(EventType.ACTIVITY_RECORDED)
    recorded = customer_contact.activities.get()
    assert activity == {
        "activity_id": recorded.pk,
        "contact_id": customer_contact.pk,
        "account_id": customer_contact.account_id,
        "activity_type": "reference_call",
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": 45,
        "opportunity_ids": [request.opportunity_id],
        "request_id": request.pk,
        "recorded_by_id": recorded.recorded_by_id,
    }
    assert_no_personal_data(customer_contact)


def test_activities_recorded_by_an_event_are_sent_one_per_speaker(manager, customer_account, sales_rep):
    from workflows.events import write_event

    speakers = [factories.make_contact(customer_account, first_name=f"Speaker{i}") for i in range(2)]
    deal = factories.make_opportunity(sales_rep)
    _event, activities = write_event(
        actor=manager,
        title="Summit",
        activity_type=factories.activity_type("webinar"),
        occurred_on=timezone.localdate(),
        duration_minutes=None,
        notes="",
        speakers=speakers,
        opportunity_ids={deal.pk},
    )
    payloads = sent(EventType.ACTIVITY_RECORDED)
    assert [p["activity_id"] for p in payloads] == [a.pk for a in activities]
    assert {p["contact_id"] for p in payloads} == {s.pk for s in speakers}
    assert all(p["opportunity_ids"] == [deal.pk] for p in payloads)
    assert all(p["activity_type"] == "webinar" for p in payloads)


def test_a_contact_status_change_is_sent(customer_contact, manager):
    contact_change_status(contact=customer_contact, to_status="resting", reason="A break", actor=manager)

    (change,) = sent(EventType.CONTACT_STATUS_CHANGED)
    assert change["contact_id"] == customer_contact.pk
    assert change["account_id"] == customer_contact.account_id
    assert (change["from_status"], change["to_status"], change["actor_id"]) == (
        "active",
        "resting",
        manager.pk,
    )
    assert_no_personal_data(customer_contact)


TODAY = date(2026, 5, 20)


def test_a_contact_reaching_a_limit_is_sent_with_the_limit_and_their_rest(customer_contact):
    for days in (80, 60, 40, 20):  # four uses in 90 days: the contact's limit
        factories.make_activity(customer_contact, TODAY - timedelta(days=days))
    Message.objects.all().delete()

    result = usage_recompute(today=TODAY)

    assert result.reached == 1
    (reached,) = sent(EventType.LIMIT_REACHED)
    assert reached["contact_id"] == customer_contact.pk
    assert reached["account_id"] == customer_contact.account_id
    assert reached["limit_code"]
    assert reached["available_from"]
    # The job rested them too: a status change by the system (no actor).
    (rested,) = sent(EventType.CONTACT_STATUS_CHANGED)
    assert (rested["contact_id"], rested["to_status"], rested["actor_id"]) == (
        customer_contact.pk,
        "resting",
        None,
    )
    assert_no_personal_data(customer_contact)


def test_a_second_run_of_the_job_sends_nothing_more(customer_contact):
    for days in (80, 60, 40, 20):
        factories.make_activity(customer_contact, TODAY - timedelta(days=days))
    usage_recompute(today=TODAY)
    count = Message.objects.count()
    usage_recompute(today=TODAY)
    assert Message.objects.count() == count

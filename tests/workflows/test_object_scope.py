"""Every object a workflow action names is resolved through the request's own scope: the
participants of an activity work at the account of the approved contact, an event's speakers at
the accounts its requests chose, a request completed by an event takes only that event's
activities, and a task is seen and worked only by those whose list it is on."""

from datetime import date

import pytest

from core.errors import InvalidInput
from core.roles import Role
from references.models import ReferenceActivity
from requests_app.models import ReferenceRequest
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, held, make_request
from workflows.events import event_record
from workflows.models import Event, RequestActivity, Task
from workflows.querysets import participants_for
from workflows.services import request_transition

pytestmark = pytest.mark.django_db


def _strangers(count: int = 3) -> list:
    """Contacts at accounts that have nothing to do with the request, each with its own owner."""
    strangers = []
    for n in range(count):
        owner = factories.make_user(f"stranger_owner{n}", Role.SALES)
        strangers.append(factories.make_contact(factories.make_account(owner, name=f"Unrelated {n}")))
    return strangers


def _record(request, actor, participants):
    return request_transition(
        request_id=request.pk,
        action="record_activity",
        actor=actor,
        occurred_on=date.today(),
        duration_minutes=30,
        participants=participants,
    )


def test_a_requester_cannot_record_an_activity_naming_other_customers(
    ref_request, manager, sales_rep, customer_contact
):
    held(drive_to(ref_request, "scheduled", customer_contact, manager))  # its time has come
    strangers = _strangers()
    with pytest.raises(InvalidInput) as refused:
        _record(ref_request, sales_rep, [c.pk for c in strangers])
    assert refused.value.field == "participants"
    assert "Globex Bank" in refused.value.message  # the account they must be at, not the strangers'
    assert not any(c.account.name in refused.value.message for c in strangers)
    # Nothing written: no activity counts against those customers, the request is not completed.
    assert not ReferenceActivity.objects.exists() and not RequestActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"


def test_one_stranger_among_the_right_participants_refuses_them_all(
    ref_request, manager, customer_contact, customer_account
):
    drive_to(ref_request, "scheduled", customer_contact, manager)
    colleague = factories.make_contact(customer_account)
    with pytest.raises(InvalidInput):
        _record(ref_request, manager, [customer_contact, colleague, _strangers(1)[0]])
    assert not ReferenceActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"


def test_people_at_the_approved_contacts_account_are_recorded(
    ref_request, manager, sales_rep, customer_contact, customer_account
):
    ref_request = held(drive_to(ref_request, "scheduled", customer_contact, manager))  # its time has come
    colleague = factories.make_contact(customer_account)
    assert set(participants_for(ref_request)) == {customer_contact, colleague}
    moved = _record(ref_request, sales_rep, [customer_contact.pk, colleague.pk])
    assert moved.status == "completed"
    assert set(ReferenceActivity.objects.values_list("contact_id", flat=True)) == {
        customer_contact.pk,
        colleague.pk,
    }


def _served(manager, customer_contact, sales_rep, other_rep) -> list:
    return [
        drive_to(make_request(rep, customer_contact), "scheduled", customer_contact, manager)
        for rep in (sales_rep, other_rep)
    ]


def _event(manager, served, speakers):
    return event_record(
        actor=manager,
        title="Round table",
        activity_type=factories.activity_type("peer_networking"),
        occurred_on=date.today(),
        speaker_ids=[c.pk for c in speakers],
        request_ids=[r.pk for r in served],
    )


def test_an_event_refuses_a_speaker_from_an_account_its_requests_did_not_choose(
    manager, customer_contact, sales_rep, other_rep
):
    served = _served(manager, customer_contact, sales_rep, other_rep)
    with pytest.raises(InvalidInput) as refused:
        _event(manager, served, [customer_contact, _strangers(1)[0]])
    assert refused.value.field == "speakers"
    assert not Event.objects.exists() and not ReferenceActivity.objects.exists()
    assert set(ReferenceRequest.objects.values_list("status", flat=True)) == {"scheduled"}


def test_an_event_refuses_a_speaker_id_that_names_nobody(manager, customer_contact, sales_rep, other_rep):
    served = _served(manager, customer_contact, sales_rep, other_rep)
    with pytest.raises(InvalidInput) as refused:
        event_record(
            actor=manager,
            title="Round table",
            activity_type=factories.activity_type("peer_networking"),
            occurred_on=date.today(),
            speaker_ids=[customer_contact.pk, 999_999],
            request_ids=[r.pk for r in served],
        )
    assert refused.value.field == "speakers"
    assert not Event.objects.exists()


def test_a_request_served_by_an_event_takes_only_that_events_activities(
    ref_request, manager, customer_contact
):
    drive_to(ref_request, "scheduled", customer_contact, manager)
    elsewhere = factories.make_activity(_strangers(1)[0], date.today())
    with pytest.raises(InvalidInput) as refused:
        request_transition(
            request_id=ref_request.pk, action="record_activity", actor=manager, activities=[elsewhere]
        )
    assert refused.value.field == "participants"
    assert not RequestActivity.objects.exists()
    assert ReferenceRequest.objects.get(pk=ref_request.pk).status == "scheduled"


def test_a_task_is_visible_to_whoever_may_work_it(
    ref_request, manager, sales_rep, marketer, customer_contact
):
    triage = Task.objects.get(request=ref_request, status="open")  # the manager queue
    assert list(Task.objects.visible_to(manager)) == [triage]
    assert not Task.objects.visible_to(sales_rep).exists()
    assert not Task.objects.visible_to(marketer).exists()
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    approval = Task.objects.get(request=ref_request, status="open")
    owner = customer_contact.account.owner
    assert approval in Task.objects.visible_to(owner)
    assert approval not in Task.objects.visible_to(sales_rep)  # the requester answers nothing here

"""What a request's history tells whom (workflows.notices): the managers of a new request, the
account owner of an approval needed, the customer when asked; never the person who acted, and
never twice for the same event."""

import pytest

from notifications.models import Notification
from requests_app.models import RequestEvent
from tests.builders.requests import drive_to, make_request
from workflows.notices import notify_request_event
from workflows.services import request_transition

pytestmark = pytest.mark.django_db


def rows(**filters) -> list[tuple]:
    return sorted(
        Notification.objects.filter(**filters).values_list(
            "kind", "channel", "user__username", "contact_id", "status"
        )
    )


def test_a_submitted_request_tells_every_manager_by_email_and_in_the_app(
    manager, second_manager, ref_request
):
    assert rows(kind="request_submitted") == [
        ("request_submitted", "email", "maria", None, "pending"),
        ("request_submitted", "email", "mo", None, "pending"),
        ("request_submitted", "in_app", "maria", None, "sent"),
        ("request_submitted", "in_app", "mo", None, "sent"),
    ]
    notification = Notification.objects.filter(user=manager, channel="in_app").get()
    assert notification.title.startswith(f"New request #{ref_request.pk}: reference call for Prospect")
    assert notification.link == f"/manage/requests/{ref_request.pk}/"


def test_approval_needed_goes_to_the_account_owner_and_approval_to_the_requester(
    ref_request, manager, account_owner, sales_rep, customer_contact
):
    drive_to(ref_request, "awaiting_owner", customer_contact, manager)
    assert rows(kind="approval_needed") == [
        ("approval_needed", "email", "olivia", None, "pending"),
        ("approval_needed", "in_app", "olivia", None, "sent"),
    ]
    request_transition(request_id=ref_request.pk, action="owner_approve", actor=account_owner)
    assert rows(kind="request_approved") == [
        ("request_approved", "email", "sally", None, "pending"),
        ("request_approved", "in_app", "sally", None, "sent"),
    ]


def test_the_customer_is_emailed_when_asked(ref_request, manager, customer_contact):
    drive_to(ref_request, "customer_asked", customer_contact, manager)

    asked = Notification.objects.get(kind="customer_asked")
    assert (asked.contact, asked.channel, asked.email) == (customer_contact, "email", customer_contact.email)
    assert "customer portal" in asked.body


def test_the_person_who_acted_is_not_told(sales_rep, manager, customer_contact):
    own = make_request(manager, customer_contact)

    assert not Notification.objects.filter(request=own, kind="request_submitted", user=manager).exists()


def test_the_same_event_never_makes_two_notifications(manager, ref_request):
    event = RequestEvent.objects.get(request=ref_request, action="submit")
    before = rows()

    notify_request_event(event=event, kinds=["request_submitted"])
    notify_request_event(event=event, kinds=["request_submitted"])

    assert rows() == before
    assert Notification.objects.filter(key=f"event:{event.pk}:request_submitted").count() == 2

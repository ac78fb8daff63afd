"""Notifications are written with the event that causes them: once per event, recipient and channel."""

import pytest
from django.db import transaction

from notifications.message import Message
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from requests_app.models import RequestEvent
from tests.builders.requests import drive_to, make_request
from tests.notifications.conftest import queued
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


def test_preferences_choose_the_channels(ref_request, manager, second_manager, sales_rep):
    NotificationPreference.objects.create(user=manager, kind="weekly_digest", delivery="in_app")
    NotificationPreference.objects.create(user=second_manager, kind="weekly_digest", delivery="none")
    NotificationPreference.objects.create(user=sales_rep, kind="weekly_digest", delivery="digest")

    notify(
        kind="weekly_digest",
        key="weekly:test",
        message=Message("Week"),
        users=[manager, second_manager, sales_rep],
    )

    assert rows(key="weekly:test") == [
        ("weekly_digest", "email", "sally", None, "held"),
        ("weekly_digest", "in_app", "maria", None, "sent"),
        ("weekly_digest", "in_app", "sally", None, "sent"),
    ]


def test_email_is_enqueued_only_after_commit(manager, memory_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind="weekly_digest", key="weekly:commit", message=Message("Week"), users=[manager])
    assert queued(memory_broker) == []  # nothing leaves before the commit

    for callback in callbacks:
        callback()

    email = Notification.objects.get(key="weekly:commit", channel="email")
    assert queued(memory_broker) == [email.pk]


def test_nothing_is_written_or_sent_for_a_rolled_back_transaction(
    manager, memory_broker, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(kind="weekly_digest", key="weekly:rollback", message=Message("Week"), users=[manager])
        raise RuntimeError("the event failed")

    assert callbacks == []
    assert not Notification.objects.filter(key="weekly:rollback").exists()
    assert queued(memory_broker) == []

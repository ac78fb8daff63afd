"""Review: the one reminder of an open ask goes only to a contact who may still be asked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers import preferences as portal_preferences
from customers.erasure.services import contact_erase, erasure_ask
from notifications.models import Notification
from tests.builders.requests import drive_to
from workflows.ask_reminders import asks_remind
from workflows.notices import ASK_REMINDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def test_a_contact_who_said_stop_asking_me_gets_no_reminder(asked, customer_contact):
    portal_preferences.opt_out(contact=customer_contact)
    asks_remind(now=timezone.now() + timedelta(days=30))
    assert not Notification.objects.filter(kind=ASK_REMINDER.code).exists()


def test_an_erased_contact_gets_no_reminder(asked, customer_contact, manager):
    contact_erase(erasure_id=erasure_ask(contact=customer_contact).pk, actor=manager)
    asks_remind(now=timezone.now() + timedelta(days=30))
    assert not Notification.objects.filter(kind=ASK_REMINDER.code).exists()


def test_a_paused_contact_gets_no_reminder(asked, customer_contact):
    portal_preferences.pause(contact=customer_contact, days=30)
    asks_remind(now=timezone.now() + timedelta(days=4))
    assert not Notification.objects.filter(kind=ASK_REMINDER.code).exists()


def test_a_contact_who_may_be_asked_still_gets_the_reminder(asked, customer_contact):
    assert asks_remind(now=timezone.now() + timedelta(days=4)) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_is_emailed_to_an_erased_contact_after_the_erasure(
    asked, customer_contact, manager, mailoutbox
):
    """Scheduling their still-open ask after the erasure writes an email to the contact; it must
    not go to the placeholder address."""
    from notifications.delivery import notification_deliver
    from workflows.services import request_transition

    contact_erase(erasure_id=erasure_ask(contact=customer_contact).pk, actor=manager)
    request_transition(
        request_id=asked.pk, action="schedule", actor=manager,
        scheduled_for=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    pending = Notification.objects.filter(contact=customer_contact, status="pending")
    for notification in pending:
        notification_deliver(notification_id=notification.pk)
    assert [m.to for m in mailoutbox if any("@invalid" in a for a in m.to)] == []

"""The one reminder of an ask not answered (workflows.ask_reminders, run by the sweep)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from requests_app.models import ReferenceRequest
from tests.builders.requests import drive_to, offered_slots
from workflows.services import request_transition
from workflows.sweep import workflow_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def reminders():
    return Notification.objects.filter(kind="customer_ask_reminder")


def later(days: float):
    return timezone.now() + timedelta(days=days)


def test_an_unanswered_ask_is_reminded_once_after_the_delay(asked, customer_contact, settings):
    settings.PORTAL_ASK_REMINDER_DAYS = 3
    assert workflow_sweep(now=later(2.9)).reminded == 0
    assert workflow_sweep(now=later(3.1)).reminded == 1
    assert workflow_sweep(now=later(4)).reminded == 0
    reminder = reminders().get()
    assert (reminder.contact, reminder.channel, reminder.request_id) == (customer_contact, "email", asked.pk)
    assert reminder.link == f"/portal/asks/{asked.pk}/"
    assert asked.verification_code[:4] in reminder.body


def test_an_answered_ask_is_not_reminded(asked, customer_contact):
    request_transition(
        request_id=asked.pk,
        action="accept_ask",
        actor=None,
        customer=customer_contact,
        slots=offered_slots(2),
    )
    assert workflow_sweep(now=later(5)).reminded == 0
    assert not reminders().exists()


def test_a_declined_or_scheduled_ask_is_not_reminded(asked, customer_contact, manager):
    request_transition(request_id=asked.pk, action="decline_ask", actor=None, customer=customer_contact)
    assert workflow_sweep(now=later(5)).reminded == 0


def test_the_reminder_is_in_the_contacts_language(asked, customer_contact):
    customer_contact.language = "de"
    customer_contact.save()
    workflow_sweep(now=later(5))
    assert reminders().get().title.startswith("Erinnerung")


def test_asked_again_is_a_new_ask_with_its_own_reminder(asked, customer_contact, manager):
    workflow_sweep(now=later(5))
    ReferenceRequest.objects.filter(pk=asked.pk).update(status_changed_at=timezone.now() + timedelta(days=6))
    assert workflow_sweep(now=later(10)).reminded == 1
    assert reminders().count() == 2

"""What the workflow tells a customer contact, and what it tells the program about the
customer's answers: contacts read only portal links, in their own language."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.builders import catalogue as factories
from tests.builders.requests import drive_to, make_request, offered_slots
from workflows.ask_reminders import asks_remind
from workflows.models import EventNotice, NoticeKind
from workflows.services import request_transition

pytestmark = pytest.mark.django_db

STAFF_PATHS = re.compile(r"/(manage|sales|tasks|content|admin|api|notifications)/")


def _fresh_contact(owner, language="en"):
    return factories.make_contact(factories.make_account(owner), language=language)


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_notification_to_a_contact_links_to_the_portal_only(
    sales_rep, manager, account_owner, language
):
    # Every kind on every history row of requests driven through each status (a contact each, so
    # no burnout limit stops them), the customer's own moves, and the reminder.
    for status in ("scheduled", "completed", "closed", "cancelled", "expired", "declined"):
        contact = _fresh_contact(account_owner, language)
        drive_to(make_request(sales_rep, contact), status, contact, manager)
    contact = _fresh_contact(account_owner, language)
    asked = drive_to(make_request(sales_rep, contact), "customer_asked", contact, manager)
    request_transition(
        request_id=asked.pk, action="accept_ask", actor=None, customer=contact, slots=offered_slots(2)
    )
    contact = _fresh_contact(account_owner, language)
    declined = drive_to(make_request(sales_rep, contact), "customer_asked", contact, manager)
    request_transition(request_id=declined.pk, action="decline_ask", actor=None, customer=contact)
    contact = _fresh_contact(account_owner, language)
    drive_to(make_request(sales_rep, contact), "customer_asked", contact, manager)  # not answered
    asks_remind(now=timezone.now() + timedelta(days=30))
    raised = set(EventNotice.objects.values_list("kind", flat=True))
    # Every kind that writes to a contact (and the customer's own moves) was raised.
    assert raised >= {
        NoticeKind.CUSTOMER_ASKED,
        NoticeKind.REQUEST_SCHEDULED,
        NoticeKind.FEEDBACK_REQUESTED,
        NoticeKind.CUSTOMER_ACCEPTED,
        NoticeKind.CUSTOMER_DECLINED,
    }
    to_contacts = Notification.objects.filter(contact__isnull=False)
    assert {n.kind for n in to_contacts} >= {
        "customer_asked",
        "request_scheduled",
        "feedback_requested",
        "customer_ask_reminder",
    }
    for notification in to_contacts:
        assert notification.link.startswith("/portal/"), notification.kind
        assert not STAFF_PATHS.search(notification.body + notification.title), notification.kind
    assert Notification.objects.get(kind="customer_asked", request=asked).link == reverse(
        "customer:ask", args=[asked.pk]
    )


def test_the_ask_carries_the_code_and_never_the_prospect(ref_request, manager, customer_contact):
    asked = drive_to(ref_request, "customer_asked", customer_contact, manager)
    ask = Notification.objects.get(kind="customer_asked")
    assert asked.verification_code_text in ask.body
    assert asked.opportunity.prospect_name not in ask.body + ask.title
    assert "Sally Seller" in ask.body


def test_a_german_speaking_contact_is_asked_in_german(ref_request, manager, customer_contact):
    customer_contact.language = "de"
    customer_contact.save()
    drive_to(ref_request, "customer_asked", customer_contact, manager)
    ask = Notification.objects.get(kind="customer_asked")
    assert ask.title.startswith("Würden Sie uns")
    assert "Kundenportal" in ask.body


def test_the_program_and_requester_hear_of_an_acceptance_with_the_times(
    ref_request, manager, customer_contact, sales_rep
):
    asked = drive_to(ref_request, "customer_asked", customer_contact, manager)
    request_transition(
        request_id=asked.pk,
        action="accept_ask",
        actor=None,
        customer=customer_contact,
        slots=offered_slots(2),
    )
    told = Notification.objects.filter(kind="customer_accepted", channel="in_app")
    assert {n.user for n in told} == {manager, sales_rep}
    assert all(customer_contact.full_name in n.title and n.body.count("minutes") == 2 for n in told)


def test_a_decline_reads_differently_from_the_customer_and_from_a_manager(
    sales_rep, manager, customer_contact
):
    first = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    request_transition(request_id=first.pk, action="decline_ask", actor=None, customer=customer_contact)
    second = drive_to(make_request(sales_rep, customer_contact), "customer_asked", customer_contact, manager)
    request_transition(request_id=second.pk, action="customer_decline", actor=manager, note="By phone.")

    by_customer = Notification.objects.get(
        kind="customer_declined", request=first, user=sales_rep, channel="in_app"
    )
    by_manager = Notification.objects.get(
        kind="customer_declined", request=second, user=sales_rep, channel="in_app"
    )
    assert by_customer.title.startswith(customer_contact.full_name)
    assert "recorded that the contact declined" in by_manager.body

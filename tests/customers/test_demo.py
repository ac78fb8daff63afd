"""The demo gives customers feedback on most of their done requests, and two demo customers to sign
in as, with an open ask each."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from customers.asks import open_asks
from customers.demo import DEMO_CUSTOMERS
from customers.feedback import activity_history
from customers.giveback import asked_much_given_little
from customers.mail import sign_in_links_send
from customers.models import CustomerFeedback, GiveBack
from references.models import Contact
from requests_app.statuses import FEEDBACK_STATUSES

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> str:
    """What seed_demo printed."""
    out = StringIO()
    call_command("seed_demo", accounts=30, seed=42, stdout=out)
    return out.getvalue()


def test_the_demo_has_customer_feedback_on_done_requests_only(demo):
    feedback = CustomerFeedback.objects.all()
    assert feedback.exists()
    assert not feedback.exclude(request__status__in=FEEDBACK_STATUSES).exists()
    assert not feedback.exclude(contact=F("request__chosen_contact")).exists()
    assert not feedback.filter(rating__gt=5).exists()


def test_the_demo_customers_have_an_open_ask_each_in_their_language(demo):
    for email, language, _zone in DEMO_CUSTOMERS:
        contact = Contact.objects.get(email=email)
        assert contact.language == language
        assert open_asks(contact), email
        assert email in demo  # seed_demo prints who to sign in as


def test_each_demo_customer_has_a_history_and_can_ask_for_a_link(demo, mailoutbox):
    """What the README promises: a history of activities, and a sign-in link by email."""
    for email, _language, _zone in DEMO_CUSTOMERS:
        contact = Contact.objects.get(email=email)
        assert activity_history(contact).exists(), email
        assert sign_in_links_send(address=email, next_path="/portal/history/") == 1, email
    assert [message.to for message in mailoutbox] == [[email] for email, _l, _z in DEMO_CUSTOMERS]


def test_the_demo_gives_back_to_the_demo_customers_and_leaves_some_asked_a_lot_waiting(demo, manager):
    for email, _language, _zone in DEMO_CUSTOMERS:
        assert GiveBack.objects.filter(contact__email=email).count() >= 2, email
    waiting = list(asked_much_given_little(manager)[:2])
    assert len(waiting) == 2 and all(c.given == 0 and c.asks >= 2 for c in waiting)
    assert GiveBack.objects.exclude(contact__email__in=[e for e, _, _ in DEMO_CUSTOMERS]).exists()

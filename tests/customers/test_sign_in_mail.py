"""Asking for a sign-in link: the request publishes the address; the worker finds, mints, emails."""

import re
import time

import pytest
from django.core import mail

from customers.links import (
    RENEW_TASK,
    SIGN_IN_TASK,
    portal_link_mint,
    portal_link_renew_request,
    portal_link_request,
    portal_link_sign_in,
    sign_in_lifetime,
)
from customers.models import PortalLink
from references.statuses import ReferenceStatus
from tests.builders import catalogue as factories
from tests.customers.broker import published, work_off
from tests.notifications.conftest import celery_broker
from tests.notifications.faults import unused_tcp_port

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+/portal/link/([A-Za-z0-9_-]+)/")


@pytest.fixture
def contact(account_owner):
    account = factories.make_account(account_owner, name="Globex")
    return factories.make_contact(account, first_name="Lina", email="lina@globex.test")


def tokens_in(message) -> list[str]:
    return LINK.findall(message.body)


def ask(address: str, next_path: str = "", client: str = "10.0.0.1") -> bool:
    return portal_link_request(email=address, next_path=next_path, client=client)


def test_a_known_address_gets_a_link_that_signs_in_and_opens_the_page(contact, broker):
    assert ask("lina@globex.test", "/portal/asks/4/")
    assert work_off(broker) == [1]
    [message] = mail.outbox
    assert message.to == ["lina@globex.test"] and "Hello Lina" in message.body
    [token] = tokens_in(message)
    assert token in message.alternatives[0][0]  # the HTML part carries the same link
    signed_in = portal_link_sign_in(token=token)
    assert signed_in.session.contact == contact and signed_in.next_path == "/portal/asks/4/"


def test_the_request_hands_over_the_address_whoever_it_belongs_to(contact, broker):
    ask("  Lina@GLOBEX.test ")
    ask("nobody@globex.test", "/manage/")
    assert published(broker) == [
        (SIGN_IN_TASK, ["lina@globex.test", "/portal/"]),
        (SIGN_IN_TASK, ["nobody@globex.test", "/portal/"]),
    ]


def test_an_unknown_address_gets_nothing(contact, broker):
    ask("nobody@globex.test")
    assert work_off(broker) == [0]
    assert mail.outbox == [] and not PortalLink.objects.exists()


def test_the_address_is_found_whatever_its_case(contact, broker):
    ask("LINA@Globex.Test")
    work_off(broker)
    assert mail.outbox[0].to == ["lina@globex.test"]


def test_a_retired_contact_gets_no_link(contact, broker):
    contact.status = ReferenceStatus.RETIRED
    contact.save(update_fields=["status"])
    ask("lina@globex.test")
    assert work_off(broker) == [0] and mail.outbox == []


def test_an_address_shared_by_contacts_at_two_customers_gets_one_email_with_a_link_for_each(
    contact, account_owner, broker
):
    other_account = factories.make_account(account_owner, name="Initech")
    twin = factories.make_contact(other_account, first_name="Lina", email="LINA@globex.test")
    ask("lina@globex.test")
    assert work_off(broker) == [2]
    [message] = mail.outbox
    assert "Globex" in message.body and "Initech" in message.body
    first, second = tokens_in(message)
    assert portal_link_sign_in(token=first).session.contact == contact
    assert portal_link_sign_in(token=second).session.contact == twin


def test_the_email_speaks_the_contacts_language(contact, broker, settings):
    contact.language = "de"
    contact.save(update_fields=["language"])
    ask("lina@globex.test")
    work_off(broker)
    [message] = mail.outbox
    assert "Hallo Lina" in message.body and "Anmeldelink" in message.subject
    assert f"innerhalb von {settings.PORTAL_LINK_MINUTES} Minuten" in message.body


def test_a_dead_link_can_be_renewed_to_the_same_contact_and_page(contact, broker):
    old = portal_link_mint(contact=contact, next_path="/portal/asks/5/", lifetime=sign_in_lifetime())
    portal_link_sign_in(token=old)  # used
    assert portal_link_renew_request(token=old, client="10.0.0.2")
    assert [name for name, _args in published(broker)] == [RENEW_TASK]
    portal_link_renew_request(token=old, client="10.0.0.2")
    assert work_off(broker) == [1]
    [token] = tokens_in(mail.outbox[0])
    assert portal_link_sign_in(token=token).next_path == "/portal/asks/5/"


@pytest.mark.parametrize("token", ["made-up", "", "x" * 5000], ids=["made-up", "empty", "huge"])
def test_renewing_a_token_that_was_never_ours_sends_nothing(contact, broker, token):
    assert portal_link_renew_request(token=token, client="10.0.0.3")
    assert work_off(broker) == [0] and mail.outbox == []


def test_renewals_count_against_the_contacts_address(contact, broker, settings):
    settings.PORTAL_LINKS_PER_EMAIL = 2
    old_links = [
        portal_link_mint(contact=contact, next_path="/portal/", lifetime=sign_in_lifetime()) for _ in range(3)
    ]
    for old in old_links:
        assert portal_link_renew_request(token=old, client="10.0.1.1")
    assert work_off(broker) == [1, 1, 0]
    assert len(mail.outbox) == 2


def test_a_broker_that_is_down_costs_the_request_a_moment_and_no_error(contact):
    with celery_broker(f"redis://127.0.0.1:{unused_tcp_port()}/0"):
        began = time.monotonic()
        assert ask("lina@globex.test")
        assert ask("nobody@globex.test")
        assert time.monotonic() - began < 2

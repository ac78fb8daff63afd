"""Verify a request: a code answers whether it is a genuine, approved ask to me, who made it and
what for; another contact's code answers exactly like an unknown one; guessing is rate-limited."""

import pytest
from django.urls import reverse

from tests.builders import catalogue as factories
from tests.builders.requests import drive_to
from workflows.services import request_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(ref_request, manager, customer_contact):
    return drive_to(ref_request, "customer_asked", customer_contact, manager)


def check(client, code: str, **extra):
    return client.post(reverse("customer:verify"), {"code": code}, **extra)


def answer(response) -> str:
    """The answer section of the page (the form and the rest of the page aside)."""
    text = response.content.decode()
    start = text.find('id="answer-h"')
    return text[start : text.find("</section>", start)] if start >= 0 else ""


def test_a_genuine_code_names_the_rep_and_the_activity(portal_client, asked, customer_contact):
    response = check(portal_client(customer_contact), asked.verification_code_text.lower())
    assert response.status_code == 200
    assert "Genuine" in answer(response)
    assert "Sally Seller" in answer(response) and "Reference call" in answer(response)
    assert asked.opportunity.prospect_name not in response.content.decode()


def test_an_unknown_code_and_another_contacts_code_answer_alike(
    portal_client, asked, customer_contact, account_owner
):
    stranger = factories.make_contact(factories.make_account(account_owner))
    client = portal_client(stranger)
    theirs = answer(check(client, asked.verification_code_text))
    unknown = answer(check(client, "AAAA-AAAA"))
    garbage = answer(check(client, "not a code"))
    assert "Not found" in theirs
    assert theirs == unknown == garbage
    assert "Sally" not in theirs


def test_a_withdrawn_ask_is_said_to_be_no_longer_open(portal_client, asked, customer_contact, manager):
    code = asked.verification_code_text
    request_transition(request_id=asked.pk, action="cancel", actor=manager, note="Deal lost.")
    assert "no longer open" in answer(check(portal_client(customer_contact), code))


def test_a_declined_ask_code_no_longer_verifies(portal_client, asked, customer_contact):
    code = asked.verification_code_text
    request_transition(request_id=asked.pk, action="decline_ask", actor=None, customer=customer_contact)
    assert "Not found" in answer(check(portal_client(customer_contact), code))


def test_checks_are_limited_per_contact(portal_client, asked, customer_contact):
    client = portal_client(customer_contact)
    for _ in range(10):
        assert check(client, "AAAA-AAAA").status_code == 200
    refused = check(client, asked.verification_code_text)
    assert refused.status_code == 429
    assert "Genuine" not in refused.content.decode() and "Try again in" in refused.content.decode()


def test_checks_are_limited_per_address(portal_client, account_owner):
    account = factories.make_account(account_owner)
    answers = []
    for _ in range(4):
        client = portal_client(factories.make_contact(account))
        answers += [check(client, "AAAA-AAAA", REMOTE_ADDR="10.1.2.3").status_code for _ in range(10)]
    assert answers.count(200) == 30 and answers.count(429) == 10


def test_an_empty_code_is_a_form_error(portal_client, customer_contact):
    assert check(portal_client(customer_contact), "").status_code == 400

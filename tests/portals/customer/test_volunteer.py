"""The public "become a reference" page: a volunteer's offer is kept as a public nomination for
the managers; bots (honeypot, a form sent back too fast) and floods (per client address and per
email, also at the same instant) store nothing, and the answer never says whether it was kept."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from portals.customer.volunteer import started_token
from requests_app.models import Nomination
from tests.builders import catalogue as factories
from tests.concurrency import race

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
PAGE = "/become-a-reference/"


def offer(email="vera@globex.test", client_address="10.9.0.1", **fields):
    data = {
        "name": "Vera Volunteer",
        "email": email,
        "company": "Globex Bank",
        "title": "CIO",
        "offer": "A call with a bank like ours.",
        "consent": "on",
        "website": "",
        "started": started_token(time.time() - 30),
        **fields,
    }
    return Client(REMOTE_ADDR=client_address).post(PAGE, data)


def body(response) -> str:
    return CSRF.sub("", response.content.decode())


def test_the_route_is_the_public_page():
    assert reverse("volunteer") == PAGE


def test_the_page_shows_the_form_with_the_consent_wording_and_a_hidden_trap(client):
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "I agree that Example Software stores what I wrote here" in text
    assert 'class="hp-field"' in text and 'name="website"' in text and 'name="started"' in text


def test_an_offer_is_kept_for_the_managers_with_its_account_matched(account_owner, manager):
    bank = factories.make_account(account_owner, name="Globex Bank")
    thanks = offer()
    assert thanks.status_code == 200 and "We have your offer" in thanks.content.decode()

    kept = Nomination.objects.get()
    assert kept.is_public and kept.nominated_by is None and kept.account == bank
    assert (kept.contact_name, kept.contact_email, kept.company_name) == (
        "Vera Volunteer",
        "vera@globex.test",
        "Globex Bank",
    )
    assert kept.consent_text.startswith("I agree") and kept.consented_at is not None
    assert manager.notifications.filter(kind="nomination_submitted").exists()


def test_an_offer_is_matched_by_the_email_domain_else_left_for_a_manager(account_owner):
    initech = factories.make_account(account_owner, name="Initech")
    factories.make_contact(initech, email="bill@initech.test")
    offer(email="peter@initech.test", company="Initech Corp. (Austin)")
    assert Nomination.objects.get().account == initech
    offer(email="sam@nowhere.test", company="Nobody Known", client_address="10.9.0.2")
    assert Nomination.objects.get(contact_email="sam@nowhere.test").account is None


def test_a_bot_filling_the_honeypot_is_refused_and_nothing_is_stored(manager):
    human = body(offer(email="first@globex.test"))
    bot = offer(email="bot@globex.test", website="http://spam.example")
    assert bot.status_code == 200 and body(bot) == human  # the same answer: nothing to learn
    assert list(Nomination.objects.values_list("contact_email", flat=True)) == ["first@globex.test"]


@pytest.mark.parametrize("started", ["", "forged:token", "now"])
def test_a_form_sent_back_too_fast_or_without_its_start_stores_nothing(started):
    token = started_token() if started == "now" else started
    assert offer(started=token).status_code == 200
    assert not Nomination.objects.exists()


def test_the_same_address_waiting_already_gets_the_same_answer_and_nothing_more():
    first, again = offer(), offer(client_address="10.9.0.3")
    assert body(first) == body(again)
    assert Nomination.objects.count() == 1


def test_an_offer_without_consent_comes_back_with_the_error():
    response = offer(consent="")
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_flood_from_one_address_gets_429_and_stores_nothing_more(settings):
    settings.VOLUNTEERS_PER_IP = 3
    answers = [offer(email=f"person{n}@globex.test").status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert Nomination.objects.count() == 3
    refused = offer(email="late@globex.test")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert Nomination.objects.count() == 3


def test_a_flood_for_one_email_from_many_addresses_gets_429(settings):
    settings.VOLUNTEERS_PER_EMAIL = 2
    answers = [offer(client_address=f"10.8.0.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 429, 429]
    assert Nomination.objects.count() == 1  # the second was the same person, already waiting


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_offers_at_the_same_instant_hold_the_limit(settings):
    settings.VOLUNTEERS_PER_IP = 3
    answers = race([lambda n=n: offer(email=f"racer{n}@globex.test") for n in range(10)])
    assert sorted(a.status_code for a in answers) == [200] * 3 + [429] * 7
    assert Nomination.objects.count() == 3


def test_an_email_longer_than_the_column_is_a_form_error_not_a_500(account_owner):
    """A form's EmailField takes up to 320 characters, the stored column 254: the page says so
    (400) instead of failing on the database (PostgreSQL refuses the longer value)."""
    long_email = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.test"
    assert len(long_email) > 254
    refused = offer(email=long_email)
    assert refused.status_code == 400
    assert "email" in body(refused).lower()
    assert not Nomination.objects.exists()


def test_a_shared_mail_domain_does_not_override_the_company_they_named(account_owner):
    """One account's contact uses a web-mail address: a volunteer from another customer with the
    same web-mail domain who names their company exactly is not filed under the first account
    (whose owner would be asked to consent to a stranger); a disagreement is left for a manager."""
    initech = factories.make_account(account_owner, name="Initech")
    factories.make_contact(initech, email="bill.lumbergh@gmail.test")
    globex = factories.make_account(account_owner, name="Globex Bank")

    offer(email="vera.volunteer@gmail.test", company="Globex Bank")

    assert Nomination.objects.get().account is None
    offer(email="ann@globex.test", company="Globex Bank", client_address="10.9.0.3")  # the name alone
    assert Nomination.objects.get(contact_email="ann@globex.test").account == globex

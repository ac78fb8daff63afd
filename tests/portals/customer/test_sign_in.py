"""The sign-in page: the same answer for every address, rate limits that hold under a burst."""

import re

import pytest
from django.test import Client

from customers.links import SIGN_IN_TASK
from tests.builders import catalogue as factories
from tests.concurrency import race
from tests.customers.broker import published

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
SIGN_IN = "/portal/sign-in/"


@pytest.fixture
def contact(account_owner):
    return factories.make_contact(factories.make_account(account_owner), email="lina@globex.test")


def without_csrf(response) -> str:
    return CSRF.sub("", response.content.decode())


def comparable(response) -> tuple:
    # Date and Expires (never_cache: now) are the clock's, not the answer's: two answers a second
    # apart differ there (a burst on a busy machine spans seconds).
    headers = {
        name: value for name, value in response.headers.items() if name.lower() not in ("date", "expires")
    }
    return (
        response.status_code,
        tuple(sorted(headers.items())),
        without_csrf(response),
        tuple(sorted(response.cookies)),
    )


def ask(address: str, client_address: str = "10.1.0.1", **fields):
    return Client(REMOTE_ADDR=client_address).post(SIGN_IN, {"email": address, **fields})


def test_the_page_asks_for_an_address_and_keeps_the_page_to_open(client):
    response = client.get(SIGN_IN, {"next": "/portal/asks/3/"})
    text = response.content.decode()
    assert response.status_code == 200 and 'name="email"' in text
    assert 'name="next" value="/portal/asks/3/"' in text


@pytest.mark.parametrize("elsewhere", ["/manage/", "https://evil.example/", "//evil.example/portal/"])
def test_a_page_off_the_portal_is_never_kept(client, elsewhere):
    assert f'value="{elsewhere}"' not in client.get(SIGN_IN, {"next": elsewhere}).content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(contact, broker, django_assert_num_queries):
    # No database query at all: the answer cannot depend on the address, nor can its time.
    with django_assert_num_queries(0):
        known = ask("lina@globex.test", "10.1.0.1")
        unknown = ask("nobody@globex.test", "10.1.0.2")
    assert known.status_code == 200
    assert comparable(known) == comparable(unknown)
    assert "lina@globex.test" not in known.content.decode()
    # Each handed one message to the worker, the same work.
    assert [name for name, _args in published(broker)] == [SIGN_IN_TASK, SIGN_IN_TASK]


def test_the_page_to_open_travels_with_the_request(contact, broker):
    ask("lina@globex.test", next="/portal/asks/3/")
    ask("lina@globex.test", next="https://evil.example/")
    assert published(broker) == [
        (SIGN_IN_TASK, ["lina@globex.test", "/portal/asks/3/"]),
        (SIGN_IN_TASK, ["lina@globex.test", "/portal/"]),
    ]


@pytest.mark.parametrize("address", ["", "not an address", "a@" + "b" * 300 + ".test", "x\x00@y.test"])
def test_a_malformed_address_is_a_form_error_and_nothing_is_sent(broker, address):
    response = ask(address)
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert published(broker) == []


def test_the_page_speaks_the_browsers_language_before_sign_in(client):
    response = client.get(SIGN_IN, headers={"accept-language": "de"})
    assert "Anmeldelink per E-Mail senden" in response.content.decode()


def _burst(requests: list[tuple[str, str]]) -> list:
    """Send the sign-in POSTs at the same instant, each from its own thread and client."""
    return race([lambda args=args: ask(*args) for args in requests])


def test_twenty_requests_at_once_for_one_address_let_exactly_the_limit_through(contact, broker, settings):
    limit = settings.PORTAL_LINKS_PER_EMAIL
    responses = _burst([("lina@globex.test", f"10.2.0.{n}") for n in range(20)])
    passed = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code == 429]
    assert len(passed) == limit and len(refused) == 20 - limit
    assert len({comparable(r) for r in refused}) == 1
    assert len(published(broker)) == limit


def test_twenty_five_requests_at_once_from_one_client_let_exactly_its_limit_through(broker, settings):
    limit = settings.PORTAL_LINKS_PER_IP
    responses = _burst([(f"person{n}@globex.test", "10.3.0.1") for n in range(limit + 5)])
    assert sorted(r.status_code for r in responses) == [200] * limit + [429] * 5
    assert len(published(broker)) == limit


def test_the_refusal_says_nothing_about_the_address(contact, broker, settings):
    settings.PORTAL_LINKS_PER_EMAIL = 1
    for address in ("lina@globex.test", "nobody@globex.test"):
        ask(address, "10.4.0.1")
    known, unknown = ask("lina@globex.test", "10.4.0.2"), ask("nobody@globex.test", "10.4.0.3")
    assert known.status_code == 429 and known["Retry-After"] == "3600"
    assert comparable(known) == comparable(unknown)

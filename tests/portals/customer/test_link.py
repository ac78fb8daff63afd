"""Opening a magic link: Continue, sign-in, the page it opens; dead links; signing out."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customers.links import RENEW_TASK, portal_link_mint, sign_in_lifetime
from customers.models import PortalLink, PortalSession
from customers.sessions import portal_session_for
from tests.builders import catalogue as factories
from tests.customers.broker import published

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def contact(account_owner):
    return factories.make_contact(factories.make_account(account_owner), first_name="Lina")


def mint(contact, path="/portal/") -> str:
    return portal_link_mint(contact=contact, next_path=path, lifetime=sign_in_lifetime())


def link(token: str) -> str:
    return reverse("customer:link", kwargs={"token": token})


def test_opening_a_link_shows_continue_and_uses_nothing(contact, client):
    token = mint(contact)
    for _ in range(3):
        response = client.get(link(token))
        assert response.status_code == 200
        assert (
            f'action="{link(token)}"' in response.content.decode() and "Continue" in response.content.decode()
        )
    assert client.head(link(token)).status_code == 200
    assert PortalLink.objects.get().used_at is None and not PortalSession.objects.exists()


def test_link_pages_keep_the_token_out_of_referers_and_caches(contact, client):
    token = mint(contact)
    for response in (client.get(link(token)), client.post(link(token)), client.get(link("made-up"))):
        assert response["Referrer-Policy"] == "strict-origin"
        assert "no-store" in response["Cache-Control"]


def test_continue_signs_in_and_opens_the_page_without_the_token(contact, settings):
    token = mint(contact, "/portal/asks/8/")
    browser = Client()
    response = browser.post(link(token))
    assert response.status_code == 302 and response["Location"] == "/portal/asks/8/"
    assert token not in response["Location"]
    cookie = response.cookies[settings.PORTAL_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/portal/" and cookie["samesite"] == "Lax"
    assert portal_session_for(cookie.value).contact == contact
    assert "Welcome, Lina" in browser.get(reverse("customer:home")).content.decode()


def test_a_used_link_shows_the_dead_link_page(contact):
    token = mint(contact)
    Client().post(link(token))
    response = Client().post(link(token))
    assert response.status_code == 410
    text = response.content.decode()
    assert "This link no longer works" in text
    assert f'action="{reverse("customer:link-renew", kwargs={"token": token})}"' in text
    assert PortalSession.objects.count() == 1
    assert Client().get(link(token)).content.decode().count("This link no longer works") >= 1


def test_expired_cancelled_and_tampered_links_show_one_and_the_same_page(contact, client):
    expired = mint(contact)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    PortalLink.objects.update(created_at=an_hour_ago, expires_at=an_hour_ago + sign_in_lifetime())
    cancelled = mint(contact)
    mint(contact)  # cancels the one before
    pages = set()
    for token in (expired, cancelled, cancelled[:-1] + "x", "x" * 43):
        response = client.get(link(token))
        assert response.status_code == 200
        pages.add(CSRF.sub("", response.content.decode()).replace(token, "TOKEN"))
    assert len(pages) == 1 and "This link no longer works" in pages.pop()


def test_the_dead_link_page_never_names_the_contact(contact, client):
    token = mint(contact)
    Client().post(link(token))
    text = client.get(link(token)).content.decode()
    assert contact.first_name not in text and contact.email not in text


def test_a_new_link_is_offered_the_same_way_for_real_and_made_up_tokens(contact, broker):
    token = mint(contact)
    real = Client(REMOTE_ADDR="10.5.0.1").post(reverse("customer:link-renew", kwargs={"token": token}))
    made_up = Client(REMOTE_ADDR="10.5.0.2").post(reverse("customer:link-renew", kwargs={"token": "nope"}))
    assert real.status_code == made_up.status_code == 200
    assert real.content == made_up.content
    assert [name for name, _args in published(broker)] == [RENEW_TASK, RENEW_TASK]


def test_new_links_are_rate_limited_like_sign_in(contact, broker, settings):
    settings.PORTAL_LINKS_PER_IP = 2
    renew = reverse("customer:link-renew", kwargs={"token": mint(contact)})
    statuses = [Client(REMOTE_ADDR="10.6.0.1").post(renew).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert Client().get(renew).status_code == 405


def test_signing_in_again_in_one_browser_ends_the_earlier_session(contact, account_owner, settings):
    other = factories.make_contact(factories.make_account(account_owner))
    browser = Client()
    browser.post(link(mint(contact)))
    first_key = browser.cookies[settings.PORTAL_COOKIE].value
    browser.post(link(mint(other)))
    assert portal_session_for(first_key) is None
    assert portal_session_for(browser.cookies[settings.PORTAL_COOKIE].value).contact == other


def test_signing_out_ends_the_session_on_the_server(contact, portal_client, settings):
    browser = portal_client(contact)
    key = browser.cookies[settings.PORTAL_COOKIE].value
    assert "Sign out" in browser.get(reverse("customer:home")).content.decode()
    response = browser.post(reverse("customer:sign-out"))
    assert response.status_code == 302 and response["Location"] == reverse("customer:sign-in")
    assert response.cookies[settings.PORTAL_COOKIE].value == ""  # the cookie is deleted too
    assert portal_session_for(key) is None
    assert PortalSession.objects.get().ended_at is not None
    again = Client()
    again.cookies[settings.PORTAL_COOKIE] = key  # a copy of the old cookie opens nothing
    assert again.post(reverse("customer:sign-out")).status_code == 403
    assert "Welcome" not in again.get(reverse("customer:home")).content.decode()


def test_signing_out_takes_a_post(contact, portal_client):
    browser = portal_client(contact)
    assert browser.get(reverse("customer:sign-out")).status_code == 405
    assert PortalSession.objects.get().ended_at is None


def test_a_session_idle_too_long_cannot_even_sign_out(contact, portal_client, settings):
    browser = portal_client(contact)
    idle = timedelta(minutes=settings.PORTAL_SESSION_IDLE_MINUTES)
    PortalSession.objects.update(last_seen_at=timezone.now() - idle)
    assert browser.post(reverse("customer:sign-out")).status_code == 403
    assert "Welcome" not in browser.get(reverse("customer:home")).content.decode()


def test_a_session_past_its_age_is_over_however_busy(contact, portal_client, settings):
    browser = portal_client(contact)
    PortalSession.objects.update(started_at=timezone.now() - timedelta(hours=settings.PORTAL_SESSION_HOURS))
    assert "Welcome" not in browser.get(reverse("customer:home")).content.decode()


def test_the_pages_speak_german_to_a_german_contact(account_owner):
    contact = factories.make_contact(factories.make_account(account_owner), language="de")
    browser = Client()
    browser.post(link(mint(contact)))
    text = browser.get(reverse("customer:home")).content.decode()
    assert "Abmelden" in text and 'lang="de"' in text

"""Magic links: what a token opens, how long, how often, and which page after sign-in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.erasure.services import contact_erase, erasure_ask
from customers.links import (
    email_link,
    is_portal_path,
    portal_access_end,
    portal_link_mint,
    portal_link_sign_in,
    portal_link_usable,
    token_hash,
)
from customers.models import PortalLink, PortalSession
from customers.sessions import portal_session_for
from references.statuses import ReferenceStatus
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db

MINUTES_15 = timedelta(minutes=15)


@pytest.fixture
def contact(account_owner):
    return factories.make_contact(factories.make_account(account_owner), first_name="Lina")


@pytest.fixture
def clock(monkeypatch):
    """Move time forward for everything that asks `timezone.now()`."""

    class Clock:
        offset = timedelta()

        def move(self, **delta) -> None:
            self.offset += timedelta(**delta)

    moved, real = Clock(), timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + moved.offset)
    return moved


def mint(contact, path="/portal/", lifetime=MINUTES_15) -> str:
    return portal_link_mint(contact=contact, next_path=path, lifetime=lifetime)


def test_a_token_has_256_random_bits_and_only_its_hash_is_stored(contact):
    token = mint(contact)
    assert len(token) >= 43  # token_urlsafe(32): 256 bits, ≥ 128 asked
    link = PortalLink.objects.get(contact=contact)
    assert link.token_hash == token_hash(token) and len(link.token_hash) == 64
    stored = " ".join(str(value) for value in PortalLink.objects.values_list().get())
    assert token not in stored


def test_a_link_signs_in_once_and_opens_its_page(contact):
    token = mint(contact, "/portal/asks/7/")
    signed_in = portal_link_sign_in(token=token)
    assert signed_in.next_path == "/portal/asks/7/"
    assert portal_session_for(signed_in.raw_key).contact == contact
    assert portal_link_sign_in(token=token) is None  # used
    assert PortalSession.objects.filter(contact=contact).count() == 1


def test_opening_a_link_without_signing_in_changes_nothing(contact):
    token = mint(contact)
    for _ in range(3):
        assert portal_link_usable(token)
    assert PortalLink.objects.get(contact=contact).used_at is None
    assert portal_link_sign_in(token=token) is not None


def test_a_link_expires(contact, clock):
    token = mint(contact)
    clock.move(minutes=14, seconds=59)
    assert portal_link_usable(token)
    clock.move(seconds=1)
    assert not portal_link_usable(token)
    assert portal_link_sign_in(token=token) is None
    assert not PortalSession.objects.exists()


@pytest.mark.parametrize("change", ["a letter", "cut short", "longer", "empty", "huge"])
def test_a_tampered_token_opens_nothing(contact, change):
    token = mint(contact)
    tampered = {
        "a letter": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "cut short": token[:-2],
        "longer": token + "x",
        "empty": "",
        "huge": token * 1000,
    }[change]
    assert not portal_link_usable(tampered)
    assert portal_link_sign_in(token=tampered) is None
    assert portal_link_sign_in(token=token) is not None  # the real one still works


def test_a_newer_link_cancels_the_older_unused_ones(contact, account_owner):
    other = factories.make_contact(factories.make_account(account_owner))
    first, second = mint(contact), mint(contact)
    others = mint(other)
    newest = mint(contact)
    assert portal_link_sign_in(token=first) is None
    assert portal_link_sign_in(token=second) is None
    assert portal_link_sign_in(token=newest) is not None
    assert portal_link_sign_in(token=others) is not None  # another contact's link is theirs
    assert PortalLink.objects.filter(contact=contact, cancelled_at__isnull=False).count() == 2


def test_a_retired_contact_cannot_sign_in_with_any_link_nor_keep_a_session(contact):
    signed_in = portal_link_sign_in(token=mint(contact))
    token = mint(contact)
    contact.status = ReferenceStatus.RETIRED
    contact.save(update_fields=["status"])
    assert not portal_link_usable(token)
    assert portal_link_sign_in(token=token) is None
    assert portal_session_for(signed_in.raw_key) is None
    assert PortalSession.objects.filter(contact=contact).count() == 1


def test_ending_portal_access_cancels_links_and_sessions(contact):
    signed_in = portal_link_sign_in(token=mint(contact))
    token = mint(contact)
    portal_access_end(contact=contact)
    assert portal_session_for(signed_in.raw_key) is None
    assert portal_link_sign_in(token=token) is None


@pytest.mark.parametrize(
    "path",
    [
        "/portal/",
        "/portal/asks/3/",
        "/portal/preferences/?tab=caps",
    ],
)
def test_portal_paths_are_pages_to_open(path):
    assert is_portal_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/",
        "/manage/",
        "/admin/",
        "https://evil.example/portal/",
        "//evil.example/portal/",
        "/portal//evil.example",
        "/portal/../manage/",
        "/portal/%2e%2e/manage/",
        "/portal/\\evil.example",
        "/portal/\nSet-Cookie: x",
        "/portal/ x",
        "javascript:alert(1)",
        "/portal/" + "a" * 600,
        None,
    ],
)
def test_anything_else_is_no_page_to_open_and_a_link_opens_the_front_page_instead(contact, path):
    assert not is_portal_path(path)
    signed_in = portal_link_sign_in(token=mint(contact, path or ""))
    assert signed_in.next_path == "/portal/"


def test_an_email_link_lives_for_days_and_opens_its_page(contact, clock, settings):
    url = email_link(contact, "/portal/asks/9/")
    token = url.rsplit("/", 2)[-2]
    assert url == f"{settings.SITE_URL}/portal/link/{token}/"
    clock.move(hours=settings.PORTAL_EMAIL_LINK_HOURS - 1)
    signed_in = portal_link_sign_in(token=token)
    assert signed_in.next_path == "/portal/asks/9/"


def test_an_email_link_to_a_staff_page_opens_the_portal_instead(contact):
    url = email_link(contact, "/manage/requests/9/")
    assert "/manage/" not in url
    assert portal_link_sign_in(token=url.rsplit("/", 2)[-2]).next_path == "/portal/"


def test_a_retired_contact_gets_no_magic_link_in_an_email(contact, settings):
    contact.status = ReferenceStatus.RETIRED
    contact.save(update_fields=["status"])
    assert email_link(contact, "/portal/asks/1/") == settings.SITE_URL + "/portal/asks/1/"
    assert not PortalLink.objects.exists()


def test_an_erased_contact_cannot_sign_in_and_their_links_are_gone(contact, manager):
    signed_in = portal_link_sign_in(token=mint(contact))
    token = mint(contact, "/portal/data/")
    contact_erase(erasure_id=erasure_ask(contact=contact).pk, actor=manager)
    assert portal_link_sign_in(token=token) is None
    assert portal_session_for(signed_in.raw_key) is None
    assert not PortalLink.objects.filter(contact=contact).exists()

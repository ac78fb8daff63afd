"""Portal sessions: what a cookie's key opens, and for how long."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import PortalSession
from customers.sessions import key_hash, portal_session_end, portal_session_for, portal_session_start
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(account_owner):
    return factories.make_contact(factories.make_account(account_owner))


def test_a_started_session_opens_with_its_key_and_stores_only_a_hash(contact):
    session, raw_key = portal_session_start(contact=contact)
    assert portal_session_for(raw_key).contact == contact
    stored = PortalSession.objects.get(pk=session.pk)
    assert stored.key_hash == key_hash(raw_key) and raw_key not in stored.key_hash


@pytest.mark.parametrize("key", ["", "x" * 5000, "not-a-key"])
def test_a_made_up_key_opens_nothing(contact, key):
    portal_session_start(contact=contact)
    assert portal_session_for(key) is None


def test_idle_time_ends_a_session(contact, settings):
    session, raw_key = portal_session_start(contact=contact)
    idle = timedelta(minutes=settings.PORTAL_SESSION_IDLE_MINUTES)
    PortalSession.objects.filter(pk=session.pk).update(last_seen_at=timezone.now() - idle)
    assert portal_session_for(raw_key) is None


def test_use_keeps_a_session_alive_until_its_age_limit(contact, settings):
    session, raw_key = portal_session_start(contact=contact)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    PortalSession.objects.filter(pk=session.pk).update(last_seen_at=an_hour_ago - timedelta(minutes=1))
    settings.PORTAL_SESSION_IDLE_MINUTES = 120
    assert portal_session_for(raw_key) is not None
    assert PortalSession.objects.get(pk=session.pk).last_seen_at > an_hour_ago  # touched
    age = timedelta(hours=settings.PORTAL_SESSION_HOURS)
    PortalSession.objects.filter(pk=session.pk).update(started_at=timezone.now() - age)
    assert portal_session_for(raw_key) is None


def test_signing_out_ends_the_session(contact):
    session, raw_key = portal_session_start(contact=contact)
    portal_session_end(session=session)
    assert portal_session_for(raw_key) is None

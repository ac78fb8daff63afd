"""The nightly forgetting of old portal links and sessions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.housekeeping import portal_records_forget
from customers.links import portal_link_mint
from customers.models import PortalLink, PortalSession
from customers.sessions import portal_session_start
from tests.builders import catalogue as factories

pytestmark = pytest.mark.django_db


def test_links_and_sessions_past_their_keeping_time_are_forgotten_and_no_others(account_owner, settings):
    contact = factories.make_contact(factories.make_account(account_owner))
    portal_link_mint(contact=contact, next_path="/portal/", lifetime=timedelta(minutes=15))
    portal_link_mint(contact=contact, next_path="/portal/asks/", lifetime=timedelta(minutes=15))
    old_link, new_link = PortalLink.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(days=settings.PORTAL_LINK_KEEP_DAYS + 1)
    PortalLink.objects.filter(pk=old_link.pk).update(
        created_at=long_ago - timedelta(hours=1), expires_at=long_ago
    )
    old_session, _ = portal_session_start(contact=contact)
    new_session, _ = portal_session_start(contact=contact)
    started = timezone.now() - timedelta(days=settings.PORTAL_SESSION_KEEP_DAYS + 1)
    PortalSession.objects.filter(pk=old_session.pk).update(started_at=started)

    assert portal_records_forget() == {"links": 1, "sessions": 1}
    assert list(PortalLink.objects.values_list("pk", flat=True)) == [new_link.pk]
    assert list(PortalSession.objects.values_list("pk", flat=True)) == [new_session.pk]
    assert portal_records_forget() == {"links": 0, "sessions": 0}

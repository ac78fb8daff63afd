"""Portal sessions: started by a magic link, ended by signing out, by idle time or by age.

The browser holds a random key in its own cookie (`PORTAL_COOKIE`, path /portal/); the database
holds its SHA-256 only, so a copy of the table opens no session. A session is valid while it is
not ended, younger than PORTAL_SESSION_HOURS and seen within PORTAL_SESSION_IDLE_MINUTES.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from customers.models import PortalSession
from references.models import Contact

# How often a session's last-seen time is written: not on every page (one UPDATE a minute is
# precise enough for an idle limit counted in tens of minutes).
TOUCH_EVERY = timedelta(seconds=60)


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.PORTAL_SESSION_IDLE_MINUTES)


def age_limit() -> timedelta:
    return timedelta(hours=settings.PORTAL_SESSION_HOURS)


@transaction.atomic
def portal_session_start(*, contact: Contact) -> tuple[PortalSession, str]:
    """A new session for `contact`; returns it and the raw key for the cookie (shown nowhere else)."""
    raw_key = secrets.token_urlsafe(32)
    now = timezone.now()
    session = PortalSession.objects.create(
        contact=contact, key_hash=key_hash(raw_key), started_at=now, last_seen_at=now
    )
    return session, raw_key


def portal_session_for(raw_key: str) -> PortalSession | None:
    """The live session a cookie's key opens (its contact and account loaded), else None."""
    if not raw_key or len(raw_key) > 100:
        return None
    now = timezone.now()
    session = (
        PortalSession.objects.select_related("contact__account")
        .filter(
            key_hash=key_hash(raw_key),
            ended_at__isnull=True,
            started_at__gt=now - age_limit(),
            last_seen_at__gt=now - idle_limit(),
        )
        .first()
    )
    if session is not None and now - session.last_seen_at >= TOUCH_EVERY:
        PortalSession.objects.filter(pk=session.pk).update(last_seen_at=now)
        session.last_seen_at = now
    return session


def portal_session_end(*, session: PortalSession) -> None:
    """Sign out: the key opens nothing from now on."""
    PortalSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())

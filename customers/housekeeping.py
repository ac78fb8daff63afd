"""Forgetting what the portal no longer needs: old magic links and old sessions (nightly).

A link is kept `PORTAL_LINK_KEEP_DAYS` after it expired, so its dead-link page can still offer a
fresh one; a session `PORTAL_SESSION_KEEP_DAYS` after it started, so the contact's data download
lists their recent sign-ins. Both only hold hashes and times; deleting them twice is harmless.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from customers.models import PortalLink, PortalSession


def portal_records_forget(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    links, _ = PortalLink.objects.filter(
        expires_at__lt=now - timedelta(days=settings.PORTAL_LINK_KEEP_DAYS)
    ).delete()
    sessions, _ = PortalSession.objects.filter(
        started_at__lt=now - timedelta(days=settings.PORTAL_SESSION_KEEP_DAYS)
    ).delete()
    return {"links": links, "sessions": sessions}

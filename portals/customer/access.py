"""Who is looking at a portal page: the contact of a live portal session, never a staff user.

`contact_required` lets a view through only with a live portal session (customers.sessions) and
gives it `request.contact`; a staff user's Django session counts for nothing here. Every portal
page is written in the contact's language and time zone, and is never cached.
"""

import zoneinfo
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from customers.sessions import portal_session_for
from references.models import Contact

SAFE_METHODS = ("GET", "HEAD")


def portal_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def language_for(contact: Contact | None, request) -> str:
    """The contact's language when the portal speaks it; before sign-in, the browser's choice."""
    if contact is not None:
        code = (contact.language or "").lower()
        return code if code in portal_languages() else "en"
    return translation.get_language_from_request(request)


def zone_for(contact: Contact) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(contact.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def portal_page(request, view, contact: Contact | None, *args, **kwargs):
    """Run `view` in the reader's language (and the contact's zone); the answer is never cached."""
    with translation.override(language_for(contact, request)):
        if contact is None:
            response = view(request, *args, **kwargs)
        else:
            with timezone.override(zone_for(contact)):
                response = view(request, *args, **kwargs)
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def contact_required(view):
    """A portal page for the signed-in contact: `request.contact`, `request.portal_session`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        session = portal_session_for(request.COOKIES.get(settings.PORTAL_COOKIE, ""))
        if session is None:
            if request.method not in SAFE_METHODS:
                raise PermissionDenied("Sign in to the customer portal first.")
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('customer:sign-in')}?{query}")
        request.contact, request.portal_session = session.contact, session
        return portal_page(request, view, session.contact, *args, **kwargs)

    return wrapped


def public_portal_page(view):
    """A portal page anyone may open (the front page, signing in): `request.contact` when signed in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        session = portal_session_for(request.COOKIES.get(settings.PORTAL_COOKIE, ""))
        request.contact = session.contact if session else None
        request.portal_session = session
        return portal_page(request, view, request.contact, *args, **kwargs)

    return wrapped

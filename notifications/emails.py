"""The email of a notification: a text and an HTML part from templates/emails/, links on SITE_URL.

A kind may have its own templates (emails/<kind>.txt and .html); the others use
emails/notification.*. An email to a contact is written in their language and links only to the
customer portal, through a magic link made as it is written (`register_contact_link`); the row
keeps the plain portal path, never the link's token.
"""

import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.dates import zone_or_default
from core.links import url_or
from notifications import kinds
from notifications.models import Notification

# The zone a staff user reads times in: registered by the app that keeps staff calendars
# (workflows.zones, from its AppConfig.ready()); settings.TIME_ZONE until then.
_staff_zone: Callable[..., zoneinfo.ZoneInfo] | None = None


def register_staff_zone(lookup: Callable[..., zoneinfo.ZoneInfo]) -> None:
    global _staff_zone
    _staff_zone = lookup


# The link an email to a contact carries to a portal path: a fresh magic link, registered by the
# app that signs contacts in (customers.links.email_link, from its AppConfig.ready()). Until then a
# contact's email carries no link at all (never one to a staff page).
_contact_link: Callable[..., str] | None = None


def register_contact_link(maker: Callable[..., str]) -> None:
    """`maker(contact, path) -> absolute URL`, called once per email to a contact as it is written."""
    global _contact_link
    _contact_link = maker


# What a kind's own templates read besides the row (emails/<kind>.*): registered by the app that
# raises the kind, from its AppConfig.ready() (insights: the executive digest's figures).
_kind_context: dict[str, Callable[[Notification], dict]] = {}


def register_email_context(kind_code: str, builder: Callable[[Notification], dict]) -> None:
    """`builder(notification) -> dict`, merged into the context of every email of `kind_code`."""
    _kind_context[kind_code] = builder


def recipient_language(notification: Notification) -> str:
    """Staff read English; a contact reads their own language when the site speaks it."""
    if notification.contact_id is None:
        return settings.LANGUAGE_CODE
    code = (notification.contact.language or "").lower()
    return code if code in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def recipient_zone(notification: Notification) -> zoneinfo.ZoneInfo:
    """The zone an email is written in: the staff user's (their calendar), the contact's (their
    record), else the program's."""
    if notification.user_id is not None and _staff_zone is not None:
        return _staff_zone(notification.user)
    return zone_or_default(notification.contact.time_zone if notification.contact_id else "")


def absolute(path: str) -> str:
    """A link on the site: SITE_URL + path (the site root for an empty path)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def _context(notification: Notification) -> dict:
    if notification.user_id is None:
        return _contact_context(notification)
    items = []
    if notification.kind == kinds.DAILY_DIGEST.code:
        items = [
            {"title": item.title, "body": item.body, "url": absolute(item.link) if item.link else ""}
            for item in notification.digest_items.order_by("created_at", "pk")
        ]
    extra = _kind_context[notification.kind](notification) if notification.kind in _kind_context else {}
    return extra | {
        "notification": notification,
        "greeting_name": notification.user.first_name or notification.user.get_username(),
        "url": absolute(notification.link) if notification.link else "",
        "site_url": settings.SITE_URL,
        "preferences_url": absolute(url_or("notifications:preferences", "/")),
        "items": items,
    }


def _contact_context(notification: Notification) -> dict:
    """A contact's email: one link, a magic one to the row's portal page (its front page when the
    row names none, or a page outside the portal); no link to the staff site anywhere."""
    contact = notification.contact
    return {
        "notification": notification,
        "greeting_name": contact.first_name,
        "url": _contact_link(contact, notification.link) if _contact_link else "",
        "for_contact": True,
        "company": getattr(settings, "COMPANY_NAME", ""),
    }


def message_id(notification: Notification) -> str:
    """The same on every attempt at one notification, so a mail system can recognise a re-sent
    duplicate; the creation time keeps it unique when a database is reset and ids come round again,
    and the site's host name (not the sending machine's, as Django's default) keeps it stable
    across workers."""
    microseconds = (notification.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"<notification.{notification.pk}.{microseconds}@{_message_id_domain(settings.SITE_URL)}>"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _message_id_domain(site_url: str) -> str:
    """SITE_URL's host as RFC 5322 wants it after the @: ASCII (IDNA), no trailing dot, an IPv6
    address in brackets."""
    host = (urlsplit(site_url).hostname or DNS_NAME.get_fqdn()).rstrip(".")
    if ":" in host:
        return f"[{host}]"
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can write: the machine's own, as Django would use
        return DNS_NAME.get_fqdn()


def build_email(notification: Notification, address: str) -> EmailMultiAlternatives:
    context = _context(notification)
    names = [f"emails/{notification.kind}", "emails/notification"]
    # Any time a template writes, in the reader's zone; any text, in their language.
    zone, language = recipient_zone(notification), recipient_language(notification)
    with timezone.override(zone), translation.override(language):
        text = render_to_string([f"{name}.txt" for name in names], context)
        html = render_to_string([f"{name}.html" for name in names], context)
    # Customers know the vendor, not the tool: their subject names the company.
    sender = settings.COMPANY_NAME if notification.contact_id else "RMS"
    subject = " ".join(f"[{sender}] {notification.title}".split())  # one line, whatever the title held
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"X-RMS-Notification": str(notification.pk), "Message-ID": message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    return message

"""Magic links: a contact signs in to the portal by opening a link RMS emailed them.

A link's token is 256 random bits (`secrets.token_urlsafe(32)`) in the email alone: the database
keeps its SHA-256, so neither a copy of the table nor a notification row opens anything. A link
- lives PORTAL_LINK_MINUTES when asked for on the sign-in page, PORTAL_EMAIL_LINK_HOURS when it
  stands in an email about an ask or a reminder (settings: an ask is read days later);
- is used once: signing in claims it with a conditional UPDATE on its own row (unused, not
  cancelled, not expired), so of any number of simultaneous POSTs of one token exactly one starts
  a session;
- is cancelled by the contact's next link (the newest is the only one that works);
- opens one page of the portal after sign-in (`next_path`, a /portal/ path: anything else opens
  the portal's front page, so a link never sends anyone off the portal).
Opening a link (GET) changes nothing: mail scanners open links; only the Continue button's POST
signs in. A retired contact cannot sign in (`may_sign_in`), whatever link they hold.

Asking for a link (`portal_link_request`) does the same work for every address: it counts the
hit against the rate limits and hands the address to a task (customers.tasks), which looks it up
and, for a contact, mints and emails the link. So the page and its timing say nothing about
whether an address is known. Several contacts at different accounts may share an address: the
email then holds one link per contact, each named by its account, and each signs in as that
contact (a portal session is one contact's).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.throttle import RateLimit
from customers.models import PortalLink, PortalSession
from customers.sessions import SIGNED_OUT_STATUSES, portal_session_start
from notifications.publishing import publish
from references.models import Contact

TOKEN_BYTES = 32  # 256 random bits; the URL-safe text is 43 characters
MAX_TOKEN_LENGTH = 100  # anything longer is no token of ours: refused before hashing
MAX_PATH_LENGTH = 500
HOUR = 3600
SIGN_IN_TASK = "customers.send_sign_in_links"
RENEW_TASK = "customers.send_renewed_link"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible_token(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH


def may_sign_in(contact: Contact) -> bool:
    return contact.status not in SIGNED_OUT_STATUSES


def portal_home() -> str:
    return reverse("customer:home")


def is_portal_path(path: str) -> bool:
    """A page of the portal on this site: "/portal/…", no scheme or host, no way out of /portal/."""
    if not isinstance(path, str) or not path.startswith(portal_home()) or len(path) > MAX_PATH_LENGTH:
        return False
    if "\\" in path or "//" in path or any(ord(char) < 33 or ord(char) == 127 for char in path):
        return False
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return False
    return not any(segment in (".", "..") or "%" in segment for segment in parts.path.split("/"))


def portal_path_or_home(path: str) -> str:
    return path if is_portal_path(path) else portal_home()


def link_url(token: str) -> str:
    """The address of a link, on SITE_URL (for emails)."""
    return settings.SITE_URL + reverse("customer:link", kwargs={"token": token})


# --- Minting ---------------------------------------------------------------------------------


@transaction.atomic
def portal_link_mint(*, contact: Contact, next_path: str, lifetime: timedelta) -> str:
    """A new link for `contact` opening `next_path` (else the portal's front page); returns the token.

    The contact's older unused links are cancelled in the same transaction, under the contact's
    row lock, so two links minted at once never both stay usable.
    """
    Contact.objects.select_for_update().filter(pk=contact.pk).values_list("pk").first()
    now = timezone.now()
    PortalLink.objects.filter(contact=contact, used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    PortalLink.objects.create(
        contact=contact,
        token_hash=token_hash(token),
        next_path=portal_path_or_home(next_path),
        created_at=now,
        expires_at=now + lifetime,
    )
    return token


def sign_in_lifetime() -> timedelta:
    return timedelta(minutes=settings.PORTAL_LINK_MINUTES)


def email_lifetime() -> timedelta:
    return timedelta(hours=settings.PORTAL_EMAIL_LINK_HOURS)


def email_link(contact: Contact, path: str) -> str:
    """The link an email to `contact` carries to `path` (registered with notifications.emails).

    A fresh magic link for a contact who may sign in; for one who may not, the plain page (it
    asks them to sign in, which they cannot): never a staff page either way.
    """
    path = portal_path_or_home(path)
    if not may_sign_in(contact):
        return settings.SITE_URL + path
    return link_url(portal_link_mint(contact=contact, next_path=path, lifetime=email_lifetime()))


# --- Reading and using a link ----------------------------------------------------------------


def portal_link_usable(token: str) -> bool:
    """Whether Continue would sign in with `token` now (the GET of a link: it changes nothing)."""
    if not plausible_token(token):
        return False
    link = (
        PortalLink.objects.select_related("contact")
        .filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    return link is not None and may_sign_in(link.contact)


@dataclass(frozen=True)
class SignIn:
    """A link used: the session it started, the session key for the cookie, the page to open."""

    session: PortalSession
    raw_key: str
    next_path: str


@transaction.atomic
def portal_link_sign_in(*, token: str) -> SignIn | None:
    """Use `token` once: claim its link, start a portal session; None for a link that is not
    (or no longer) usable, or whose contact may not sign in.

    The claim is one UPDATE whose WHERE names only the link's own columns, so PostgreSQL checks it
    again on the row it locks: of simultaneous claims of one token exactly one matches.
    """
    if not plausible_token(token):
        return None
    now = timezone.now()
    claimed = PortalLink.objects.filter(
        token_hash=token_hash(token), used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        return None
    link = PortalLink.objects.select_related("contact").get(token_hash=token_hash(token))
    if not may_sign_in(link.contact):
        return None
    session, raw_key = portal_session_start(contact=link.contact)
    return SignIn(session=session, raw_key=raw_key, next_path=portal_path_or_home(link.next_path))


@transaction.atomic
def portal_access_end(*, contact: Contact) -> None:
    """Cancel the contact's unused links and end their live sessions (retiring, erasing)."""
    now = timezone.now()
    PortalLink.objects.filter(contact=contact, used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    PortalSession.objects.filter(contact=contact, ended_at__isnull=True).update(ended_at=now)


# --- Asking for a link -----------------------------------------------------------------------


def _per_ip() -> RateLimit:
    return RateLimit("portal-link-ip", limit=settings.PORTAL_LINKS_PER_IP, window=HOUR)


def per_email() -> RateLimit:
    return RateLimit("portal-link-email", limit=settings.PORTAL_LINKS_PER_EMAIL, window=HOUR)


def _per_old_link() -> RateLimit:
    return RateLimit("portal-link-renew", limit=settings.PORTAL_LINKS_PER_EMAIL, window=HOUR)


def normalized_email(address: str) -> str:
    return address.strip().lower()


def portal_link_request(*, email: str, next_path: str, client: str | None) -> bool:
    """Ask for a sign-in link for whoever `email` belongs to; False when a rate limit refuses.

    The same work whatever the address: two counts, one message to the broker (which gives up
    within a fraction of a second when it is down, notifications.publishing). The task finds the
    contacts, if any, and emails them.
    """
    address = normalized_email(email)
    if not _per_ip().hit(client or "unknown").allowed or not per_email().hit(address).allowed:
        return False
    publish(SIGN_IN_TASK, [[address, portal_path_or_home(next_path)]])
    return True


def portal_link_renew_request(*, token: str, client: str | None) -> bool:
    """Ask for a fresh link in place of a dead one (expired, used, cancelled or made up); False
    when a rate limit refuses. Like `portal_link_request`: the same work for a token that names a
    contact and one that does not; the task emails the contact of the old link, if there is one."""
    if not plausible_token(token):
        token = ""
    digest = token_hash(token)
    if not _per_ip().hit(client or "unknown").allowed or not _per_old_link().hit(digest).allowed:
        return False
    publish(RENEW_TASK, [[digest]])
    return True

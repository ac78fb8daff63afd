"""The sign-in email: found, minted and sent by the worker (customers.tasks), never in a request.

The web request only counted the hit and handed the address over (customers.links), so whether an
address belongs to anyone is decided here, where no visitor can time it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from customers.links import (
    link_url,
    per_email,
    portal_link_mint,
    sign_in_lifetime,
)
from customers.models import PortalLink
from customers.sessions import SIGNED_OUT_STATUSES
from references.models import Contact

logger = logging.getLogger(__name__)


def language_of(contact: Contact) -> str:
    code = (contact.language or "").lower()
    return code if code in {code for code, _name in settings.LANGUAGES} else "en"


def sign_in_links_send(*, address: str, next_path: str) -> int:
    """Email a sign-in link to every contact who may sign in with `address`; returns how many.

    One email to the address, with one link per contact (each names its account): a person who is
    a contact at two customers chooses which of them to sign in as.
    """
    contacts = list(
        Contact.objects.select_related("account")
        .filter(email__iexact=address)
        .exclude(status__in=SIGNED_OUT_STATUSES)
        .order_by("pk")
    )
    if not contacts:
        return 0
    links = [(contact, _mint(contact, next_path)) for contact in contacts]
    _send(contacts[0], links)
    return len(links)


def renewed_link_send(*, digest: str) -> int:
    """Email a fresh sign-in link in place of the link whose token hashes to `digest` (any state),
    to its contact, for the same page; 1 when sent. The contact's address counts against the
    per-address limit, as a link asked for on the sign-in page does."""
    old = PortalLink.objects.select_related("contact__account").filter(token_hash=digest).first()
    if old is None or old.contact.status in SIGNED_OUT_STATUSES or not old.contact.email:
        return 0
    if not per_email().hit(old.contact.email.strip().lower()).allowed:
        logger.info("Portal link %s: not renewed, the address asked for too many links.", old.pk)
        return 0
    _send(old.contact, [(old.contact, _mint(old.contact, old.next_path))])
    return 1


def _mint(contact: Contact, next_path: str) -> str:
    return link_url(portal_link_mint(contact=contact, next_path=next_path, lifetime=sign_in_lifetime()))


def _send(recipient: Contact, links: list[tuple[Contact, str]]) -> None:
    context = {
        "greeting_name": recipient.first_name,
        "links": [{"account": contact.account.name, "url": url} for contact, url in links],
        "minutes": settings.PORTAL_LINK_MINUTES,
        "company": settings.COMPANY_NAME,
        "for_contact": True,
    }
    with translation.override(language_of(recipient)):
        subject = gettext("Your sign-in link for the %(company)s customer portal") % context
        text = render_to_string("emails/portal_sign_in.txt", context)
        html = render_to_string("emails/portal_sign_in.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()

"""A customer volunteers on the public "become a reference" page: a nomination with source
"public" and no nominator, its account matched when it can be, else left for a manager to pick
when qualifying.

The page answers the same whether or not the offer was kept (a bot's honeypot, a duplicate, a
made-up company): only the rate limits answer differently (429), because the visitor must know
to wait. Both limits are counted before anything is stored, atomically (`core.throttle`), so N
racing offers from one address store at most the limit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core.throttle import RateLimit
from references.models import Account, Contact
from requests_app.models import Nomination
from workflows.nomination_notices import tell_submitted

HOUR = 3600
# The wording a volunteer agrees to, kept with their offer as they saw it.
CONSENT_WORDING = gettext_noop(
    "I agree that {company} stores what I wrote here and contacts me by email about its reference "
    "program. I can ask for it to be erased at any time."
)


def per_ip() -> RateLimit:
    return RateLimit("volunteer-ip", limit=settings.VOLUNTEERS_PER_IP, window=HOUR)


def per_email() -> RateLimit:
    return RateLimit("volunteer-email", limit=settings.VOLUNTEERS_PER_EMAIL, window=HOUR)


def consent_wording() -> str:
    """In the reader's language: the wording stored with an offer is the one its volunteer read."""
    return gettext(CONSENT_WORDING).format(company=settings.COMPANY_NAME)


@dataclass(frozen=True)
class Offer:
    """What the volunteer typed, parsed by the page's form."""

    name: str
    email: str
    company: str
    title: str
    offer: str


def volunteer_allowed(*, email: str, client: str | None) -> bool:
    """Count one offer against both limits; False when either refuses (nothing is stored then)."""
    return per_ip().hit(client or "unknown").allowed and per_email().hit(email.strip().lower()).allowed


def nomination_volunteer(*, offer: Offer) -> Nomination | None:
    """Keep a volunteer's offer as a public nomination, and tell the managers. None (nothing
    stored, the same answer) when the same address already waits for the program."""
    email = offer.email.strip().lower()
    with transaction.atomic():
        waiting = Nomination.objects.filter(contact_email__iexact=email, status__in=Nomination.PENDING)
        if waiting.exists():
            return None
        nomination = Nomination.objects.create(
            source=Nomination.Source.PUBLIC,
            nominated_by=None,
            account=match_account(email=email, company=offer.company),
            contact_name=offer.name.strip(),
            contact_title=offer.title.strip(),
            contact_email=email,
            company_name=offer.company.strip(),
            reason=offer.offer.strip(),
            consent_text=consent_wording(),
            consented_at=timezone.now(),
        )
        tell_submitted(nomination)
    return nomination


def match_account(*, email: str, company: str) -> Account | None:
    """The one account the volunteer belongs to: the account whose contacts use their email's
    domain, or the one account of exactly their company's name. None when neither names exactly
    one account, or when the two disagree (a web-mail domain one customer's contact happens to
    use says nothing of another's company): a manager picks it when qualifying."""
    named = list(
        Account.objects.filter(name__iexact=company.strip()).order_by("pk").values_list("pk", flat=True)[:2]
    )
    by_name = named[0] if len(named) == 1 else None
    domain = email.rpartition("@")[2]
    by_domain = None
    if domain:
        found = list(
            Contact.objects.filter(email__iendswith=f"@{domain}")
            .values("account_id")
            .annotate(n=Count("id"))
            .values_list("account_id", flat=True)[:2]
        )
        by_domain = found[0] if len(found) == 1 else None
    if by_name is not None and by_domain is not None and by_name != by_domain:
        return None
    chosen = by_domain or by_name
    return Account.objects.get(pk=chosen) if chosen is not None else None

"""What the customer portal reads about a contact's asks: the open ones, one of them, and the
answer to a verification code.

Every read starts from the signed-in contact (requests whose chosen contact they are), so another
contact's request is simply not found. The rows are turned into `Ask`s, which carry only what a
customer may read: the requesting rep's name, our company, the activity, the dates, the code, the
prospect's industry and size band (for a deal) or the campaign's name (for a campaign request:
a press interview, an analyst briefing…), and the brief a manager chose to share — never the
prospect's name, the deal or the request's notes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404

from references.models import Contact
from references.words import activity_name, industry_name, size_band_name
from requests_app.codes import code_from_text
from requests_app.models import ReferenceRequest
from requests_app.statuses import APPROVED_STATUSES, RequestStatus
from workflows.customer_notices import company_name

# The asks a contact sees as open: asked and not answered, or scheduled and not held yet.
OPEN_ASK_STATUSES = (RequestStatus.CUSTOMER_ASKED, RequestStatus.SCHEDULED)


@dataclass(frozen=True)
class OfferedTime:
    starts_at: datetime
    minutes: int


@dataclass(frozen=True)
class Ask:
    """One ask as the customer reads it."""

    pk: int
    status: str
    status_label: str
    rep: str
    company: str
    activity: str
    needed_by: date
    code: str
    brief: str
    industry: str
    size_band: str
    campaign: str
    scheduled_for: datetime | None
    offered: tuple[OfferedTime, ...]

    @property
    def waits_for_answer(self) -> bool:
        """Asked and not scheduled yet: the customer may accept (again, with new times) or decline."""
        return self.status == RequestStatus.CUSTOMER_ASKED


def _rows(contact: Contact) -> QuerySet[ReferenceRequest]:
    return (
        ReferenceRequest.objects.filter(chosen_contact=contact)
        .select_related("requester", "activity_type", "opportunity__industry", "opportunity__size_band")
        .only(
            "pk",
            "status",
            "needed_by",
            "verification_code",
            "customer_brief",
            "scheduled_for",
            "requester__first_name",
            "requester__last_name",
            "requester__username",
            "activity_type__name",
            "campaign",
            "opportunity__industry__name",
            "opportunity__size_band__name",
        )
        .prefetch_related("offered_slots")
    )


def _ask(request: ReferenceRequest) -> Ask:
    deal = request.opportunity
    requester = request.requester
    return Ask(
        pk=request.pk,
        status=request.status,
        status_label=RequestStatus(request.status).label,
        rep=requester.get_full_name() or requester.get_username(),
        company=company_name(),
        activity=activity_name(request.activity_type),
        needed_by=request.needed_by,
        code=request.verification_code_text,
        brief=request.customer_brief,
        industry=industry_name(deal.industry) if deal else "",
        size_band=size_band_name(deal.size_band) if deal and deal.size_band else "",
        campaign="" if deal else request.campaign,
        scheduled_for=request.scheduled_for,
        offered=tuple(OfferedTime(s.starts_at, s.minutes) for s in request.offered_slots.all()),
    )


def open_asks(contact: Contact) -> list[Ask]:
    """The contact's open asks, soonest needed first (3 queries however many)."""
    rows = _rows(contact).filter(status__in=OPEN_ASK_STATUSES).order_by("needed_by", "pk")
    return [_ask(row) for row in rows]


def open_ask(contact: Contact, pk: int) -> Ask:
    """One of the contact's open asks; Http404 for anyone else's or one no longer open."""
    row = _rows(contact).filter(status__in=OPEN_ASK_STATUSES, pk=pk).first()
    if row is None:
        raise Http404("No such ask.")
    return _ask(row)


@dataclass(frozen=True)
class Verification:
    """The answer to a code: None when it is not a code of an ask to this contact."""

    ask: Ask | None

    @property
    def genuine(self) -> bool:
        """A real ask to this contact that the program approved (and did not withdraw)."""
        return self.ask is not None and self.ask.status in APPROVED_STATUSES


def ask_by_code(contact: Contact, text: str) -> Verification:
    """The ask to `contact` carrying the code typed; a code of another contact's ask answers
    exactly as an unknown one."""
    code = code_from_text(text)
    if code is None:
        return Verification(None)
    row = _rows(contact).filter(verification_code=code).first()
    return Verification(_ask(row) if row is not None else None)

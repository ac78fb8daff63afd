"""The customer's feedback after an activity, and their history in the program.

Both start from the contact: the requests whose chosen contact they are (another contact's
request is not found), and their own recorded activities. The prospect shows only as a kind of
company (industry, size), never by name.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet

from core.errors import Conflict, InvalidInput
from core.text import NOTE_MAX_LENGTH
from customers.models import CustomerFeedback
from references.models import Contact, Opportunity, ReferenceActivity
from references.words import industry_name, size_band_name
from requests_app.models import ReferenceRequest
from requests_app.statuses import FEEDBACK_STATUSES
from workflows.models import RequestActivity

RATINGS = (1, 2, 3, 4, 5)
# The request's relation to the customer's feedback: the staff request pages join it
# (`requests_app.selectors.request_detail(related=…)`, `workflows.selectors.request_detail`).
RELATION = "customer_feedback"


def requests_for_feedback(contact: Contact) -> QuerySet[ReferenceRequest]:
    """The contact's own requests whose activity is done (feedback may be given on them)."""
    return ReferenceRequest.objects.filter(chosen_contact=contact, status__in=FEEDBACK_STATUSES)


def request_for_feedback(*, contact: Contact, pk: int) -> ReferenceRequest | None:
    """One of them with what its page shows (its type, the prospect's kind, feedback given)."""
    rows = requests_for_feedback(contact).select_related(
        "activity_type", "opportunity__industry", "opportunity__size_band", "customer_feedback"
    )
    return rows.filter(pk=pk).first()


@transaction.atomic
def feedback_give(
    *, contact: Contact, request: ReferenceRequest, rating: int, comment: str = ""
) -> CustomerFeedback:
    """Record the contact's rating (1–5) and comment on one of their done requests, once."""
    if request.chosen_contact_id != contact.pk or request.status not in FEEDBACK_STATUSES:
        raise InvalidInput("Feedback is for your own activities, once they are done.", field=None)
    if rating not in RATINGS:
        raise InvalidInput("Choose a rating from 1 to 5.", field="rating")
    comment = (comment or "").strip()
    if len(comment) > NOTE_MAX_LENGTH:
        raise InvalidInput(f"Ensure the comment has at most {NOTE_MAX_LENGTH} characters.", field="comment")
    try:
        with transaction.atomic():
            return CustomerFeedback.objects.create(
                request=request, contact=contact, rating=rating, comment=comment
            )
    except IntegrityError:
        raise Conflict("You have already given feedback on this activity.") from None


# --- history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prospect:
    """A prospect as the customer may see it: what kind of company, never its name."""

    industry: str
    size: str


def prospect_of(deal: Opportunity) -> Prospect:
    """The deal's prospect as the customer reads it, in their language (the industry and size
    band joined to the deal)."""
    return Prospect(industry_name(deal.industry), size_band_name(deal.size_band) if deal.size_band_id else "")


def activity_history(contact: Contact) -> QuerySet[ReferenceActivity]:
    """The contact's activities, newest first, with their type, the deals they served (for the
    prospect's kind) and the contact's own requests they served (for feedback): three queries
    per page whatever its length."""
    deals = Opportunity.objects.select_related("industry", "size_band").only(
        "id", "industry__name", "size_band__name"
    )
    own_requests = RequestActivity.objects.filter(request__chosen_contact=contact).select_related(
        "request__customer_feedback"
    )
    return (
        ReferenceActivity.objects.filter(contact=contact)
        .select_related("activity_type")
        .only("id", "occurred_on", "activity_type__name", "contact_id")
        .prefetch_related(
            Prefetch("opportunities", queryset=deals),
            Prefetch("served_requests", queryset=own_requests, to_attr="own_requests"),
        )
        .order_by("-occurred_on", "-id")
    )


def prospects_of(activity: ReferenceActivity) -> list[Prospect]:
    """The kinds of company the activity served (prefetched by `activity_history`)."""
    return [prospect_of(deal) for deal in activity.opportunities.all()]

"""Reads for the customer's data page and the reference managers' erasure work."""

from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from customers.models import ErasureRequest
from customers.statuses import ErasureStatus
from references.models import Contact, ReferenceActivity
from requests_app.models import ReferenceRequest
from requests_app.statuses import OPEN_STATUSES


def open_erasures() -> QuerySet[ErasureRequest]:
    """Erasure requests waiting for a reference manager, soonest due first (one query)."""
    return (
        ErasureRequest.objects.filter(status=ErasureStatus.REQUESTED)
        .select_related("contact__account")
        .order_by("due_on", "id")
    )


def erasure_detail(pk: int) -> ErasureRequest | None:
    return ErasureRequest.objects.select_related("contact__account", "done_by").filter(pk=pk).first()


def latest_erasure(contact: Contact) -> ErasureRequest | None:
    """The contact's latest erasure request, for their data page."""
    return ErasureRequest.objects.filter(contact=contact).order_by("-requested_at", "-id").first()


@dataclass(frozen=True)
class ErasureImpact:
    """What carrying out an erasure keeps (the counts the reports use) and what is still open."""

    activities: int
    requests: int
    open_requests: int


def erasure_impact(contact: Contact) -> ErasureImpact:
    """Three counts, in two queries."""
    chosen_or_proposed = Q(chosen_contact=contact) | Q(candidates__contact=contact)
    counts = ReferenceRequest.objects.filter(chosen_or_proposed).aggregate(
        requests=Count("id", distinct=True),
        open_requests=Count("id", distinct=True, filter=Q(status__in=OPEN_STATUSES)),
    )
    return ErasureImpact(
        activities=ReferenceActivity.objects.filter(contact=contact).count(),
        requests=counts["requests"],
        open_requests=counts["open_requests"],
    )


def erasures_waiting() -> dict:
    """How many erasure requests wait and the soonest due date (one query): the inbox's reminder."""
    return ErasureRequest.objects.filter(status=ErasureStatus.REQUESTED).aggregate(
        count=Count("id"), first_due=Min("due_on")
    )

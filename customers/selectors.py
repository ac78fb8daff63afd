"""Reads for the customer's data page and the reference managers' erasure work."""

from django.db.models import QuerySet

from customers.models import ErasureRequest
from customers.statuses import ErasureStatus
from references.models import Contact


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

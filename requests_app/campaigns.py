"""Reads for marketing's campaign requests (requests with a campaign's name and no deal).

Every read starts from `ReferenceRequest.objects.visible_to(user)`: marketing sees the campaign
requests they made, reference managers every one.
"""

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from requests_app.models import ReferenceRequest
from requests_app.selectors import _candidates_prefetch, request_detail
from requests_app.statuses import APPROVED_STATUSES, OPEN_STATUSES


def campaign_requests(*, user) -> QuerySet[ReferenceRequest]:
    """The campaign requests `user` may see, open first, latest activity on top, with their
    type, chosen contact and candidates (a fixed number of queries however many)."""
    return (
        ReferenceRequest.objects.visible_to(user)
        .filter(opportunity__isnull=True)
        .with_open_first()
        .select_related("activity_type", "requester", "chosen_contact__account")
        .defer("chosen_contact__email", "chosen_contact__phone", "chosen_contact__account__reference_story")
        .prefetch_related(_candidates_prefetch())
        .order_by("closed_rank", "-updated_at", "-id")
    )


def campaign_request_detail(*, user, pk: int, related: tuple[str, ...] = ()) -> ReferenceRequest:
    """One campaign request with everything its page shows; 404 outside the user's scope or for
    a request that serves a deal (its page is the sales portal's)."""
    found = request_detail(user=user, pk=pk, related=related)
    if found.opportunity_id is not None:
        raise Http404("No such campaign request.")
    return found


def campaign_counts(user) -> dict[str, int]:
    """For the /content/ home: the user's campaign requests open, approved (in play) and in all.
    One query."""
    return (
        ReferenceRequest.objects.visible_to(user)
        .filter(opportunity__isnull=True)
        .aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES) & Q(status__in=OPEN_STATUSES)),
            total=Count("pk"),
        )
    )


def campaigns_with_counts(user) -> QuerySet:
    """Each campaign `user`'s campaign requests name (as `campaign_counts` counts them: what the
    user may see), with its requests open, approved (in play) and in all, and the latest one's
    day; by name. Rows are dicts: one query per page."""
    return (
        ReferenceRequest.objects.visible_to(user)
        .filter(opportunity__isnull=True)
        .order_by()
        .values("campaign")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES) & Q(status__in=OPEN_STATUSES)),
            total=Count("pk"),
            latest_at=Max("created_at"),
        )
        .order_by("campaign")
    )

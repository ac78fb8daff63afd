"""The program's headline measures, each one aggregate query: the figures goals are set against
and the digest reports, read by the insights pages too (so all three say the same number).

- A deal is **influenced** when a reference activity for it happened on or before its close date,
  or a content asset was used for it on or before that day (marketing's recorded uses). Several
  activities on one deal count the deal once. With an activity-type filter, only activities of
  that type influence (content uses have no type).
- **Influenced revenue**: the amounts of influenced deals won with a close date in the range, in
  US dollars at the rates RMS keeps (references.currency); a deal in a currency without a rate is
  left out of the sum and counted apart.
- **Requests fulfilled**: requests that reached "completed" in the range.
- **New references**: contacts moved from candidate to active in the range.
"""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from insights.segments import (
    Segment,
    activity_filter,
    contact_filter,
    deal_filter,
    program_zone,
    request_filter,
)
from marketing.models import AssetUse
from references.currency import total_in_usd
from references.models import (
    Contact,
    DealOutcome,
    Opportunity,
    ReferenceActivity,
    ReferenceStatus,
    StatusChange,
)
from requests_app.models import ReferenceRequest, RequestEvent
from requests_app.statuses import RequestStatus

ZERO = Decimal(0)


def influencing_activities(segment: Segment):
    """Activities for the deal at OuterRef("pk") on or before its close date (OuterRef)."""
    activities = ReferenceActivity.objects.filter(
        opportunities=OuterRef("pk"), occurred_on__lte=OuterRef("close_date")
    )
    if segment.activity_type is not None:
        activities = activities.filter(activity_type_id=segment.activity_type)
    return activities


def influencing_uses():
    """Content uses for the deal at OuterRef("pk") on or before its close date (the day of the use
    in the program's zone, not the reader's)."""
    return AssetUse.objects.annotate(used_on=TruncDate("used_at", tzinfo=program_zone())).filter(
        opportunity=OuterRef("pk"), used_on__lte=OuterRef("close_date")
    )


def influenced(segment: Segment) -> Q:
    """Deals influenced by a reference activity or a content use on or before their close date."""
    q = Q(Exists(influencing_activities(segment)))
    if segment.activity_type is None:
        q |= Q(Exists(influencing_uses()))
    return q


def closed_deals(segment: Segment):
    """Deals of the segment won or lost with a close date in the range."""
    return Opportunity.objects.filter(
        deal_filter(segment),
        outcome__in=(DealOutcome.WON, DealOutcome.LOST),
        close_date__range=(segment.start, segment.end),
    )


def influenced_won_deals(segment: Segment):
    return closed_deals(segment).filter(influenced(segment), outcome=DealOutcome.WON)


def influenced_revenue(segment: Segment) -> dict:
    """{"usd": Decimal, "deals": int, "unconverted": int}: the sum, the deals in it, and the deals
    left out for want of a currency rate."""
    return total_in_usd(influenced_won_deals(segment))


def fulfilled_requests(segment: Segment):
    """The segment's requests that reached "completed" in the range (the rows behind the count)."""
    start, end = segment.moments()
    completed = RequestEvent.objects.filter(
        request=OuterRef("pk"), to_status=RequestStatus.COMPLETED, created_at__gte=start, created_at__lt=end
    )
    return ReferenceRequest.objects.filter(request_filter(segment), Exists(completed))


def requests_fulfilled(segment: Segment) -> int:
    return fulfilled_requests(segment).count()


def recruited_contacts(segment: Segment):
    """The contacts of the segment moved from candidate to active in the range."""
    start, end = segment.moments()
    recruited = StatusChange.objects.filter(
        contact=OuterRef("pk"),
        from_status=ReferenceStatus.CANDIDATE,
        to_status=ReferenceStatus.ACTIVE,
        changed_at__gte=start,
        changed_at__lt=end,
    )
    return Contact.objects.filter(contact_filter(segment), Exists(recruited))


def new_references(segment: Segment) -> int:
    return recruited_contacts(segment).count()


def activities_held(segment: Segment) -> int:
    return ReferenceActivity.objects.filter(
        activity_filter(segment), occurred_on__range=(segment.start, segment.end)
    ).count()

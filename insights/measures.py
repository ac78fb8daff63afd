"""The program's headline measures, each one aggregate query: the figures goals are set against
and the digest reports, read by the insights pages too (so all three say the same number).

- **Influenced revenue**: the amounts of influenced deals (insights.facts: a reference activity or
  a content use for the deal on or before its close date) won with a close date in the range, in
  US dollars at the rates RMS keeps (references.currency); a deal in a currency without a rate is
  left out of the sum and counted apart. Read from the facts, as of their last refresh.
- **Requests fulfilled**: requests that reached "completed" in the range.
- **New references**: contacts moved from candidate to active in the range.
"""

from django.db.models import Exists, OuterRef

from insights.facts import closed_facts, influenced, usd_sums
from insights.segments import Segment, activity_filter, contact_filter, request_filter
from references.models import Contact, ReferenceActivity, ReferenceStatus, StatusChange
from requests_app.models import ReferenceRequest, RequestEvent
from requests_app.statuses import RequestStatus


def influenced_revenue(segment: Segment) -> dict:
    """{"usd": Decimal, "deals": int, "unconverted": int}: the sum, the deals in it, and the deals
    left out for want of a currency rate (as of the facts' last refresh, insights.facts)."""
    return closed_facts(segment).filter(influenced(segment), is_won=True).aggregate(**usd_sums())


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

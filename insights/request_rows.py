"""The requests behind a fulfilment figure: the rows of the insights drill-down list.

`RequestRows` names which requests (the list page's parameters, documented
on `portals.insights.requests`); `request_rows` returns them, fully loaded for the page: the
requester and activity type joined, when the request was first scheduled and, for an ended one,
the reason on its history row annotated. Every figure's link asks for the same rows it counted.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from insights import fulfilment as f
from insights.measures import fulfilled_requests
from insights.segments import Segment
from requests_app.statuses import RequestStatus


@dataclass(frozen=True)
class RequestRows:
    status: str = ""  # a RequestStatus: now in it (created in the range)
    reached: str = ""  # RequestStatus.COMPLETED: reached it in the range (the goal's measure)
    late_step: int | None = None  # a WorkflowStep id: with a task of that step past its due time
    ended: str = ""  # RequestStatus.DECLINED or EXPIRED: declined or expired in the range
    by: str = ""  # a Decliner, with ended=declined: who declined
    scheduled: bool = False  # reached "scheduled" (created in the range)
    fulfilment: str = ""  # a Fulfilment: fulfilled, ended unfulfilled or still open

    def decliners(self) -> list[str]:
        if self.ended == RequestStatus.EXPIRED:
            return [f.Decliner.EXPIRY]
        if self.by:
            return [self.by]
        return [who for who in f.Decliner if who != f.Decliner.EXPIRY]


def _base(segment: Segment, which: RequestRows) -> QuerySet:
    if which.ended:
        decliners = which.decliners()
        rows = f.requests_declined(segment, decliners)
        return rows.annotate(reason=f.decline_note(segment, decliners))
    rows = fulfilled_requests(segment) if which.reached else f.requests_created(segment)
    return rows.annotate(reason=f.end_note())


def request_rows(segment: Segment, which: RequestRows, now=None) -> QuerySet:
    """The requests `which` names in `segment`, newest first."""
    rows = _base(segment, which)
    if which.status:
        rows = rows.filter(status=which.status)
    if which.fulfilment:
        rows = rows.filter(status__in=f.FULFILMENT_STATUSES[which.fulfilment])
    if which.late_step is not None:
        rows = rows.filter(pk__in=f.requests_late_at(segment, which.late_step, now).values("pk"))
    rows = f.with_scheduled_at(rows)
    if which.scheduled:
        rows = rows.filter(scheduled_at__isnull=False)
    return rows.select_related("requester", "activity_type").order_by("-created_at", "-id")

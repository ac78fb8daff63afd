"""Fulfilment: how well the program answers requests, each figure one aggregate query.

Unless a figure says otherwise it reads the requests of the segment (`insights.segments.request_filter`)
created in the range; a request is submitted when it is created (`requests_app.services.request_create`
writes it, its "submitted" history row and its first tasks in one transaction).

- **Time to schedule**: from the request's creation to its first history row moving it to
  "scheduled" (a reschedule keeps the first), for the requests that reached it.
- **Share fulfilled**: requests now completed or closed ÷ requests that have ended (completed,
  closed, declined, cancelled, expired); requests still open are counted apart.
- **Service-level breaches**: the workflow tasks of these requests closed after their due time
  (done or skipped) or still open past it, by workflow step.
- **Declines and expiries**: history rows in the range (their own date, not the request's) that
  declined a request or let it expire, by who: the program (a manager declined the request: it
  ends), the account owner or the customer (their no sends the request back to review, where the
  program may choose another contact), and the nightly expiry (past its needed-by date: it ends).
"""

from django.db import models
from django.db.models import Count, Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from insights.aggregates import Percentile
from insights.segments import Segment, request_filter
from references.models import ActivityType
from requests_app.models import ReferenceRequest, RequestEvent
from requests_app.statuses import FEEDBACK_STATUSES, OPEN_STATUSES, RequestStatus
from workflows.models import Task, WorkflowStep
from workflows.transitions import statuses_where

# A request has ended once it left the open statuses; it was fulfilled if the activity was held.
ENDED_STATUSES = tuple(status for status in RequestStatus if status not in OPEN_STATUSES)
FULFILLED_STATUSES = FEEDBACK_STATUSES
# Ended without the activity: the history row that ended it may carry the reason.
UNFULFILLED_STATUSES = tuple(status for status in ENDED_STATUSES if status not in FULFILLED_STATUSES)


class Decliner(models.TextChoices):
    """Who said no to a request (or let it lapse)."""

    PROGRAM = "program", "Declined by the program"
    ACCOUNT_OWNER = "owner", "Declined by the account owner"
    CUSTOMER = "customer", "Declined by the customer"
    EXPIRY = "expiry", "Expired (needed-by date passed)"


# The transition table's actions for each, and whether the request ends with them. The customer
# declines in their portal (`decline_ask`, the row names the contact) or tells a manager, who
# records it (`customer_decline`); a manager may decline for an absent owner (`decline_for_owner`).
DECLINE_ACTIONS: dict[str, tuple[str, ...]] = {
    Decliner.PROGRAM: ("decline",),
    Decliner.ACCOUNT_OWNER: ("owner_decline", "decline_for_owner"),
    Decliner.CUSTOMER: ("decline_ask", "customer_decline"),
    Decliner.EXPIRY: ("expire",),
}
ENDS_REQUEST = {
    Decliner.PROGRAM: True,
    Decliner.ACCOUNT_OWNER: False,
    Decliner.CUSTOMER: False,
    Decliner.EXPIRY: True,
}
statuses_where(*(action for actions in DECLINE_ACTIONS.values() for action in actions))  # all real actions


class Fulfilment(models.TextChoices):
    """Where a request stands for the share fulfilled."""

    FULFILLED = "fulfilled", "Fulfilled (completed or closed)"
    UNFULFILLED = "unfulfilled", "Ended unfulfilled (declined, cancelled or expired)"
    STILL_OPEN = "open", "Still open"


FULFILMENT_STATUSES = {
    Fulfilment.FULFILLED: FULFILLED_STATUSES,
    Fulfilment.UNFULFILLED: UNFULFILLED_STATUSES,
    Fulfilment.STILL_OPEN: OPEN_STATUSES,
}


class HoursBetween(Func):
    """Hours from `earlier` to `later` (two datetimes), as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()
    arity = 2

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision) / 3600.0)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "((julianday(%(expressions)s)) * 24.0)"
        return self.as_sql(
            compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context
        )


def requests_created(segment: Segment) -> QuerySet:
    """The segment's requests created in the range."""
    start, end = segment.moments()
    return ReferenceRequest.objects.filter(request_filter(segment), created_at__gte=start, created_at__lt=end)


def first_scheduled_at() -> Subquery:
    """When the request at OuterRef("pk") was first scheduled (NULL if never)."""
    events = RequestEvent.objects.filter(request=OuterRef("pk"), to_status=RequestStatus.SCHEDULED)
    return Subquery(events.order_by("created_at", "id").values("created_at")[:1])


def with_scheduled_at(requests: QuerySet) -> QuerySet:
    return requests.annotate(scheduled_at=first_scheduled_at())


def first_schedulings(segment: Segment) -> QuerySet:
    """The history rows that first moved a request of the segment created in the range to
    "scheduled" (a reschedule's later rows left out: no earlier such row of the same request),
    each with `hours` since the request's creation: one row per scheduled request. Read from the
    history side, so each request's moment is found once (an index probe for an earlier row),
    not by a subquery per request evaluated again for each figure that reads it."""
    start, end = segment.moments()
    earlier = RequestEvent.objects.filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")),
        request=OuterRef("request"),
        to_status=RequestStatus.SCHEDULED,
    )
    return (
        RequestEvent.objects.filter(
            request_filter(segment, "request"),
            ~Exists(earlier),
            to_status=RequestStatus.SCHEDULED,
            request__created_at__gte=start,
            request__created_at__lt=end,
        )
        .annotate(hours=HoursBetween(F("created_at"), F("request__created_at")))
        .order_by()
    )


def _time_figures() -> dict:
    return {
        "requests": Count("*"),
        "median_hours": Percentile("hours", 0.5),
        "p90_hours": Percentile("hours", 0.9),
    }


def time_to_schedule(segment: Segment) -> dict:
    """{"requests", "median_hours", "p90_hours"} (the hours None when nothing was scheduled)."""
    return first_schedulings(segment).aggregate(**_time_figures())


def time_to_schedule_by_type(segment: Segment) -> list[dict]:
    """Per activity type asked for: {"activity_type_id", "activity_type__name", "requests",
    "median_hours", "p90_hours"}, by the type's order (grouped by the type's id alone, its name
    read after: a narrow sort)."""
    rows = first_schedulings(segment).values(activity_type_id=F("request__activity_type_id"))
    rows = list(rows.annotate(**_time_figures()))
    types = ActivityType.objects.filter(pk__in=[row["activity_type_id"] for row in rows])
    order = {pk: (sort_order, name) for pk, sort_order, name in types.values_list("pk", "sort_order", "name")}
    for row in rows:
        row["activity_type__name"] = order[row["activity_type_id"]][1]
    return sorted(rows, key=lambda row: (*order[row["activity_type_id"]], row["activity_type_id"]))


def status_counts(segment: Segment) -> list[tuple[str, int]]:
    """(status, requests now in it) for every status in workflow order, zeros kept."""
    counts = dict(requests_created(segment).values_list("status").annotate(n=Count("pk")).order_by())
    return [(status, counts.get(status, 0)) for status in RequestStatus]


def share_fulfilled(segment: Segment) -> dict:
    """{"fulfilled", "unfulfilled", "open", "ended", "share"}: share = fulfilled ÷ ended × 100
    (None when none has ended)."""
    figures = requests_created(segment).aggregate(
        **{
            str(which): Count("pk", filter=Q(status__in=statuses))
            for which, statuses in FULFILMENT_STATUSES.items()
        }
    )
    ended = figures[Fulfilment.FULFILLED] + figures[Fulfilment.UNFULFILLED]
    share = 100 * figures[Fulfilment.FULFILLED] / ended if ended else None
    return {**figures, "ended": ended, "share": share}


def late(now) -> Q:
    """A task past its due time: closed after it, or still open with it gone by."""
    return Q(completed_at__gt=F("due_at")) | Q(status=Task.Status.OPEN, due_at__lt=now)


def breaches_by_step(segment: Segment, now=None) -> list[dict]:
    """Per workflow step: {"step_id", "step__name", "step__order", "step__template__name",
    "tasks", "late"}, for the tasks of the requests created in the range (counted per step id,
    the steps' names read after: a narrow grouping over every task)."""
    now = now or timezone.now()
    tasks = Task.objects.filter(request__in=requests_created(segment).values("pk"), step__isnull=False)
    counts = list(
        tasks.values("step_id").annotate(tasks=Count("*"), late=Count("pk", filter=late(now))).order_by()
    )
    steps = WorkflowStep.objects.filter(pk__in=[row["step_id"] for row in counts]).values_list(
        "pk", "name", "order", "template__name"
    )
    named = {
        pk: {"step__name": name, "step__order": order, "step__template__name": template}
        for pk, name, order, template in steps
    }
    rows = [row | named[row["step_id"]] for row in counts]
    return sorted(rows, key=lambda row: (row["step__template__name"], row["step__order"], row["step_id"]))


def decline_events(segment: Segment, decliners=tuple(Decliner)) -> QuerySet:
    """History rows in the range declining a request of the segment, or expiring it, by `decliners`."""
    start, end = segment.moments()
    actions = [action for who in decliners for action in DECLINE_ACTIONS[who]]
    return RequestEvent.objects.filter(
        request_filter(segment, "request"), action__in=actions, created_at__gte=start, created_at__lt=end
    )


def _decliner_case() -> models.Case:
    whens = [
        models.When(action__in=actions, then=models.Value(who)) for who, actions in DECLINE_ACTIONS.items()
    ]
    return models.Case(*whens, output_field=models.CharField())


def declines_by_who(segment: Segment) -> list[tuple[str, int, int]]:
    """(decliner, history rows, rows giving a reason) for every decliner, zeros kept."""
    rows = (
        decline_events(segment)
        .annotate(who=_decliner_case())
        .values("who")
        .annotate(events=Count("pk"), with_reason=Count("pk", filter=~Q(note="")))
        .order_by()
    )
    found = {row["who"]: (row["events"], row["with_reason"]) for row in rows}
    return [(who, *found.get(who, (0, 0))) for who in Decliner]


def requests_declined(segment: Segment, decliners) -> QuerySet:
    """Requests with a decline (or expiry) by `decliners` in the range: `Exists` on their events."""
    events = decline_events(segment, decliners).filter(request=OuterRef("pk"))
    return ReferenceRequest.objects.filter(request_filter(segment), Exists(events))


def decline_note(segment: Segment, decliners) -> Subquery:
    """The latest note of those events for the request at OuterRef("pk")."""
    events = decline_events(segment, decliners).filter(request=OuterRef("pk")).exclude(note="")
    return Subquery(events.order_by("-created_at", "-id").values("note")[:1])


def end_note() -> Subquery:
    """The reason on the history row that ended the request at OuterRef("pk") unfulfilled."""
    events = RequestEvent.objects.filter(
        request=OuterRef("pk"), to_status=OuterRef("status"), to_status__in=UNFULFILLED_STATUSES
    )
    return Subquery(events.order_by("-created_at", "-id").values("note")[:1])


def requests_late_at(segment: Segment, step_id: int, now=None) -> QuerySet:
    """Requests created in the range with a task of workflow step `step_id` past its due time."""
    tasks = Task.objects.filter(late(now or timezone.now()), request=OuterRef("pk"), step_id=step_id)
    return requests_created(segment).filter(Exists(tasks))

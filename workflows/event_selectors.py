"""Reads for the planned-event screens: marketing's list and page, the reps' upcoming events.

Each returns fully loaded rows (speakers with their accounts, the number of sign-ups), so a page
costs the same number of queries however many events or sign-ups it shows.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.roles import Role, has_role
from references.models import Contact
from workflows.models import EventSignup, PlannedEvent
from workflows.statuses import PlannedEventStatus


def _speakers() -> Prefetch:
    return Prefetch(
        "speakers",
        queryset=Contact.objects.select_related("account").only(
            "id", "first_name", "last_name", "title", "account_id", "account__name"
        ),
    )


def _rows() -> QuerySet[PlannedEvent]:
    return (
        PlannedEvent.objects.select_related("activity_type", "planned_by")
        .annotate(signup_count=Count("signups", distinct=True))
        .prefetch_related(_speakers())
    )


def planned_events(*, when: str = "upcoming") -> QuerySet[PlannedEvent]:
    """Planned events: "upcoming" (still to be held, soonest first) or "past" (held, recorded or
    cancelled, latest first)."""
    now = timezone.now()
    if when == "past":
        return (
            _rows()
            .filter(Q(starts_at__lte=now) | ~Q(status=PlannedEventStatus.PLANNED))
            .order_by("-starts_at", "-id")
        )
    return _rows().filter(starts_at__gt=now, status=PlannedEventStatus.PLANNED).order_by("starts_at", "id")


def planned_event_detail(pk: int) -> PlannedEvent:
    """One planned event with its speakers and its sign-ups (deal, owner); 404 if none."""
    signups = EventSignup.objects.select_related("opportunity__owner", "signed_up_by").order_by(
        "created_at", "id"
    )
    rows = _rows().prefetch_related(Prefetch("signups", queryset=signups, to_attr="signup_rows"))
    return get_object_or_404(rows.select_related("event"), pk=pk)


def events_for_signup(user) -> QuerySet[PlannedEvent]:
    """Upcoming events for the sales page, each with the user's own deals already signed up."""
    mine = EventSignup.objects.filter(signed_up_by=user).select_related("opportunity")
    return planned_events().prefetch_related(Prefetch("signups", queryset=mine, to_attr="my_signups"))


def planned_events_near(start, end, account_ids) -> QuerySet[PlannedEvent]:
    """Planned events still to be held between two days whose speakers work at these accounts
    (for the manager's collision check: `workflows.selectors.collisions`)."""
    return (
        PlannedEvent.objects.filter(
            status=PlannedEventStatus.PLANNED,
            starts_at__date__range=(start, end),
            speakers__account_id__in=account_ids,
        )
        .select_related("activity_type")
        .prefetch_related("speakers__account")
        .distinct()
    )


def planned_event_counts() -> dict[str, int]:
    """For the /content/ home: events upcoming, held and waiting to be recorded, recorded. One query."""
    now = timezone.now()
    planned = Q(status=PlannedEventStatus.PLANNED)
    return PlannedEvent.objects.aggregate(
        upcoming=Count("pk", filter=planned & Q(starts_at__gt=now)),
        to_record=Count("pk", filter=planned & Q(starts_at__lte=now)),
        recorded=Count("pk", filter=Q(status=PlannedEventStatus.RECORDED)),
    )


# --- The API's reads (api/views/flows_events.py): each role as its pages show it ---------------


def plans_events(user) -> bool:
    """Marketing and the program plan, record and read every event and every sign-up."""
    return has_role(user, Role.MARKETING) or has_role(user, Role.MANAGER)


def events_visible_to(user) -> QuerySet[PlannedEvent]:
    """The planned events `user` reads, each with the sign-ups they may see (`signup_rows`):
    marketing and the program every event and sign-up (/content/events/); a rep the upcoming
    events they may sign up to, with the sign-ups they made (/sales/events/)."""
    signups = EventSignup.objects.select_related("opportunity__owner", "signed_up_by").order_by(
        "created_at", "id"
    )
    if plans_events(user):
        rows = _rows()
    elif has_role(user, Role.SALES):
        rows, signups = planned_events(), signups.filter(signed_up_by=user)
    else:
        return PlannedEvent.objects.none()
    return rows.prefetch_related(Prefetch("signups", queryset=signups, to_attr="signup_rows"))

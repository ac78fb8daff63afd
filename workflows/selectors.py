"""Reads for the workflow screens: the manager's inbox, a request's detail, collisions, task lists.

Each returns fully loaded rows (select_related / Prefetch / annotations), so templates never query
and a page costs the same number of queries however many rows it shows.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from limits.availability import Availability
from limits.selectors import availability_for
from matching.selectors import ReferenceCard, criteria_for_request, rank_candidates
from references.currency import amount_in_usd
from references.models import Contact, ReferenceActivity
from references.selectors import recent_since
from requests_app.models import ReferenceRequest, RequestCandidate, RequestEvent, RequestStatus
from requests_app.statuses import OPEN_STATUSES
from workflows.models import Event, Task, WorkflowStep
from workflows.querysets import request_managers
from workflows.transitions import UNDECIDED, past_tense, statuses_where

# --- Inbox ----------------------------------------------------------------------------------


# The inbox's groups of statuses, by the `status` filter's value (or one status by its own).
INBOX_GROUPS = {"triage": UNDECIDED, "open": OPEN_STATUSES}


@dataclass(frozen=True)
class InboxFilters:
    status: str = "triage"  # "triage", "open", "all" or one status
    activity_type: int | None = None
    region: int | None = None
    requester: int | None = None
    assigned: str = ""  # "", "me" or "none"
    sort: str = "needed_by"  # or "amount"


def _candidates_prefetch() -> Prefetch:
    return Prefetch(
        "candidates",
        queryset=RequestCandidate.objects.select_related("contact__account").order_by("preference"),
    )


def inbox_requests(*, filters: InboxFilters, user: User) -> QuerySet[ReferenceRequest]:
    """Requests for the manager's inbox: open ones first, then soonest needed (or biggest deal)."""
    requests = ReferenceRequest.objects.select_related(
        "requester",
        "activity_type",
        "opportunity__country__region",
        "assigned_manager",
        "chosen_contact__account",
    ).prefetch_related(_candidates_prefetch())
    if filters.status in INBOX_GROUPS:
        requests = requests.filter(status__in=INBOX_GROUPS[filters.status])
    elif filters.status in RequestStatus.values:
        requests = requests.filter(status=filters.status)
    if filters.activity_type:
        requests = requests.filter(activity_type_id=filters.activity_type)
    if filters.region:
        requests = requests.filter(opportunity__country__region_id=filters.region)
    if filters.requester:
        requests = requests.filter(requester_id=filters.requester)
    if filters.assigned == "me":
        requests = requests.filter(assigned_manager=user)
    elif filters.assigned == "none":
        requests = requests.filter(assigned_manager__isnull=True)
    # Open requests before finished ones when a filter shows both ("All", a requester's).
    requests = requests.with_open_first().annotate(deal_size_usd=deal_size_in_usd("opportunity"))
    amount = F("deal_size_usd").desc(nulls_last=True)
    if filters.sort == "amount":
        return requests.order_by("closed_rank", amount, "needed_by", "id")
    return requests.order_by("closed_rank", "needed_by", amount, "id")


def deal_size_in_usd(opportunity: str):
    """The deal's amount in US dollars (an expression), so that deals in different currencies
    compare by size; NULL for a currency without a rate (references.CurrencyRate)."""
    return amount_in_usd(opportunity)


def managers() -> QuerySet[User]:
    """The active reference managers (a request's possible assignees)."""
    return request_managers()


def requesters() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, reference_requests__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )


# --- Request detail -------------------------------------------------------------------------


def request_detail(pk: int, related: tuple[str, ...] = ()) -> ReferenceRequest | None:
    """One request with everything its detail page shows (`related`: one-to-one relations of
    higher apps it shows too, the customer's feedback, joined in the same query)."""
    return (
        ReferenceRequest.objects.select_related(
            "requester",
            "activity_type",
            "prospect_contact_role",
            "assigned_manager",
            "opportunity__country__region",
            "opportunity__industry",
            "chosen_contact__account__owner",
            "chosen_contact__persona",
            "chosen_contact__preferences",
            "feedback",
            *related,
        )
        .prefetch_related(
            "opportunity__products",
            Prefetch(
                "candidates",
                queryset=RequestCandidate.objects.select_related(
                    "contact__account__owner", "contact__persona", "contact__preferences"
                ).order_by("preference"),
            ),
            Prefetch(
                "events",
                queryset=RequestEvent.objects.select_related("actor", "actor_contact")
                .prefetch_related("notices")
                .order_by("created_at", "id"),
            ),
            Prefetch(
                "tasks", queryset=Task.objects.select_related("assignee", "completed_by").order_by("id")
            ),
            "offered_slots",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Usage:
    recent: int  # activities in the last references.selectors.RECENT_DAYS
    last: date | None


def contact_usage(contact_ids) -> dict[int, Usage]:
    """Recent activity count and last activity date per contact, in one grouped query."""
    since = recent_since()
    rows = (
        ReferenceActivity.objects.filter(contact_id__in=list(contact_ids))
        .values("contact_id")
        .annotate(recent=Count("id", filter=Q(occurred_on__gte=since)), last=Max("occurred_on"))
    )
    return {row["contact_id"]: Usage(row["recent"], row["last"]) for row in rows}


def availability(request: ReferenceRequest, contacts: list[Contact]) -> dict[int, Availability]:
    """The burnout limits' figure for each contact in play today, for the request's activity type
    and leaving out its own approval: what approving it would meet (limits.selectors, a
    constant number of queries)."""
    return availability_for(
        [contact.pk for contact in contacts],
        activity_type=request.activity_type,
        exclude_request_id=request.pk,
    )


def alternative_candidates(
    request: ReferenceRequest, *, exclude: set[int], limit: int = 8
) -> list[ReferenceCard]:
    """The best other references for the request's deal, ranked by the same matching as the sales
    search (available before resting, each with its readable match explanation)."""
    target, filters = criteria_for_request(request)
    return rank_candidates(target=target, filters=filters, exclude_contact_ids=exclude, limit=limit)


# --- The requester's timeline ---------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: str
    what: str
    note: str
    to_status: str


_OWN_WORDS = {"submit": "submitted the request", "feedback": "gave feedback"}


def timeline(request: ReferenceRequest) -> list[TimelineEntry]:
    """Who did what and when, oldest first (from the prefetched events)."""
    entries = []
    for event in request.events.all():
        if event.actor is None and event.actor_contact_id is not None:
            who = "The customer"  # from the portal (the requester reads no more of them here)
        else:
            who = (event.actor.get_full_name() or event.actor.username) if event.actor else "RMS"
        what = _OWN_WORDS.get(event.action) or past_tense(event.action)
        status = RequestStatus(event.to_status).label if event.to_status in RequestStatus.values else ""
        entries.append(TimelineEntry(event.created_at, who, what, event.note, status))
    return entries


# --- The account owner's approvals ----------------------------------------------------------

OWNER_ACTIONS = ("owner_approve", "owner_decline")
APPROVALS_ANSWERED_SHOWN = 20


def owned_requests(user: User) -> QuerySet[ReferenceRequest]:
    """Requests naming a contact at an account `user` owns: the only ones they may answer."""
    return ReferenceRequest.objects.filter(chosen_contact__account__owner=user)


def owner_approvals(user: User) -> tuple[QuerySet[ReferenceRequest], QuerySet[ReferenceRequest]]:
    """The owner's requests waiting for their answer (soonest needed first) and the latest ones
    they answered."""
    rows = owned_requests(user).select_related(
        "requester", "activity_type", "opportunity", "chosen_contact__account", "assigned_manager"
    )
    pending = rows.filter(status__in=statuses_where(*OWNER_ACTIONS)).order_by("needed_by", "id")
    answered = (
        rows.filter(events__action__in=OWNER_ACTIONS, events__actor=user)
        .distinct()
        .order_by("-status_changed_at", "-id")[:APPROVALS_ANSWERED_SHOWN]
    )
    return pending, answered


# --- Collisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collision:
    """Another ask of the same contact or account in an overlapping window."""

    subject: str  # the contact's or account's name
    same_contact: bool
    what: str
    when: date
    request: ReferenceRequest | None = None
    event: Event | None = None


def request_window(request: ReferenceRequest) -> tuple[date, date]:
    """From submission until it is needed (or takes place, when scheduled later)."""
    start = timezone.localdate(request.created_at) if request.created_at else timezone.localdate()
    end = request.needed_by
    if request.scheduled_for:
        end = max(end, timezone.localdate(request.scheduled_for))
    return start, end


def collisions(request: ReferenceRequest, contacts: list[Contact]) -> list[Collision]:
    """Open requests and events asking the same contacts or accounts in an overlapping window."""
    if not contacts:
        return []
    start, end = request_window(request)
    contact_ids = {c.pk for c in contacts}
    account_ids = {c.account_id for c in contacts}
    others = (
        ReferenceRequest.objects.filter(
            status__in=OPEN_STATUSES, created_at__date__lte=end, needed_by__gte=start
        )
        .exclude(pk=request.pk)
        .filter(
            Q(chosen_contact__account_id__in=account_ids)
            | Q(chosen_contact__isnull=True, candidates__contact__account_id__in=account_ids)
        )
        .select_related("activity_type", "requester", "chosen_contact__account")
        .prefetch_related(_candidates_prefetch())
        .distinct()
        .order_by("needed_by", "id")
    )
    found = [_request_collision(other, contact_ids, account_ids) for other in others]
    events = (
        Event.objects.filter(occurred_on__range=(start, end), speakers__account_id__in=account_ids)
        .select_related("activity_type")
        .prefetch_related("speakers__account")
        .distinct()
    )
    for event in events:
        speaker = next(s for s in event.speakers.all() if s.account_id in account_ids)
        found.append(
            Collision(
                subject=speaker.full_name if speaker.pk in contact_ids else speaker.account.name,
                same_contact=speaker.pk in contact_ids,
                what=f"{event.activity_type.name.lower()} “{event.title}”",
                when=event.occurred_on,
                event=event,
            )
        )
    return sorted(found, key=lambda c: (not c.same_contact, c.when))


def _request_collision(other: ReferenceRequest, contact_ids: set[int], account_ids: set[int]) -> Collision:
    asked = [other.chosen_contact] if other.chosen_contact else [c.contact for c in other.candidates.all()]
    asked = [c for c in asked if c.account_id in account_ids]
    same = [c for c in asked if c.pk in contact_ids]
    subject = same[0].full_name if same else asked[0].account.name
    who = other.requester.get_full_name() or other.requester.username
    purpose = f" ({other.campaign})" if other.campaign else ""
    return Collision(
        subject=subject,
        same_contact=bool(same),
        what=f"{other.activity_type.name.lower()}{purpose} by {who}",
        when=timezone.localdate(other.scheduled_for) if other.scheduled_for else other.needed_by,
        request=other,
    )


# --- Task lists -----------------------------------------------------------------------------


def task_rows() -> QuerySet[Task]:
    """Tasks with what a task-list row shows, and whether another step of its status follows."""
    following = WorkflowStep.objects.filter(
        template_id=OuterRef("step__template_id"),
        request_status=OuterRef("step__request_status"),
        order__gt=OuterRef("step__order"),
    )
    return Task.objects.select_related(
        "assignee",
        "step",
        "request__activity_type",
        "request__opportunity",
        "request__requester",
        "request__chosen_contact__account",
        "nomination__account",
        "nomination__contact",
    ).annotate(has_next_step=Exists(following))


def task_list(user: User) -> QuerySet[Task]:
    """The open tasks on `user`'s list, soonest due first."""
    return task_rows().filter(pk__in=Task.objects.on_list_of(user).values("pk")).order_by("due_at", "id")


def task_counts(user: User) -> dict[str, int]:
    """Open and late tasks on `user`'s list, in one query (for the navigation)."""
    return Task.objects.on_list_of(user).aggregate(
        open=Count("id"), late=Count("id", filter=Q(due_at__lt=timezone.now()))
    )

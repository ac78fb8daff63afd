"""Requests in any workflow state, built through the workflow's own services.

A request is submitted as the sales portal submits one (`workflows.services.request_submit`: the
request, its candidates, its history row, its first tasks and notices). Later statuses are reached
along `workflows.transitions.USUAL_PATH` through `request_transition`; the transition table says
who takes each action and what input it needs. Nothing here keeps a copy of the demo's choices
(`workflows/demo.py` reads the same path and table). `make_program` builds many requests at once,
for the query-count tests.
"""

from datetime import date, timedelta

from django.utils import timezone

from matching.indexing import search_index_rebuild
from references.models import Contact, Opportunity
from requests_app.models import ReferenceRequest
from tests.builders import catalogue
from workflows.machine import Actor, Needs
from workflows.models import Event
from workflows.services import request_submit, request_transition
from workflows.transitions import TABLE, USUAL_PATH, action_label, actor_relations, find_transition

NEEDS = {row.action: row.needs for row in TABLE}


def submit(requester, opportunity: Opportunity, *contacts, **fields) -> ReferenceRequest:
    """Submit a request for `contacts` (in order of preference) as the rep's request form does;
    a reference call needed in ten days unless `activity_type` or `needed_by` say otherwise."""
    return request_submit(
        requester=requester,
        opportunity=opportunity,
        activity_type=fields.pop("activity_type", catalogue.activity_type("reference_call")),
        contacts=list(contacts),
        needed_by=fields.pop("needed_by", date.today() + timedelta(days=10)),
        **fields,
    )


def make_request(
    requester,
    contact: Contact,
    *,
    code: str = "reference_call",
    needed_by: date | None = None,
    opportunity: Opportunity | None = None,
    **fields,
) -> ReferenceRequest:
    """A request by `requester` for `contact`, just submitted, on a new deal of theirs unless
    `opportunity` is given.

    A `needed_by` date that is not in the future is a request submitted a while ago: it is
    submitted as usual, then its date passes. Other fields (`campaign`…), which the request form
    does not ask for, are set after submission.
    """
    needed_by = needed_by or date.today() + timedelta(days=21)
    tomorrow = timezone.localdate() + timedelta(days=1)
    request = submit(
        requester,
        opportunity or catalogue.make_opportunity(requester),
        contact,
        activity_type=catalogue.activity_type(code),
        needed_by=max(needed_by, tomorrow),
    )
    later = {**fields, "needed_by": needed_by} if needed_by < tomorrow else fields
    if later:
        ReferenceRequest.objects.filter(pk=request.pk).update(**later)
        request.refresh_from_db()
    return request


def payload_for(action: str, request: ReferenceRequest, contact: Contact, manager) -> dict:
    """A valid payload for `action`: the input its row of the transition table needs."""
    return {
        Needs.NOTHING: {},
        Needs.NOTE: {"note": f"{action_label(action)}: the reason"},
        Needs.CONTACT: {"contact": contact.pk},
        # Confirmed: a request built with its needed-by date passed is still scheduled.
        Needs.SCHEDULE: {"scheduled_for": timezone.now() + timedelta(days=3), "schedule_anyway": True},
        Needs.ASSIGNEE: {"assignee": manager},
        Needs.ACTIVITY: {"occurred_on": timezone.localdate(), "duration_minutes": 45},
        Needs.SLOTS: {"slots": offered_slots(3)},
    }[NEEDS[action]]


def offered_slots(count: int, *, days: int = 3, minutes: int = 45) -> list[tuple]:
    """`count` times a customer offers (start, minutes): a day apart from `days` days ahead, 10:00 UTC."""
    first = (timezone.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    return [(first + timedelta(days=i), minutes) for i in range(count)]


def actor_for(action: str, request: ReferenceRequest, manager):
    """Who takes `action` on `request` now: the first of the account owner, `manager` and the
    requester whom the transition table allows to, else the system (None)."""
    row = find_transition(request.status, action)
    if row is None:
        raise ValueError(f"“{action}” is not possible while request #{request.pk} is {request.status}.")
    owner = request.chosen_contact.account.owner if request.chosen_contact_id else None
    for person in (owner, manager, request.requester):
        if person is not None and actor_relations(request, person) & row.roles:
            return person
    if Actor.SYSTEM in row.roles:
        return None
    raise ValueError(f"Nobody given may {action_label(action).lower()} request #{request.pk}.")


def held(request: ReferenceRequest) -> ReferenceRequest:
    """A scheduled call whose time has come: moved to an hour ago (an activity is recorded once it
    has happened, not before its scheduled time)."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    if request.scheduled_for and request.scheduled_for > an_hour_ago:
        ReferenceRequest.objects.filter(pk=request.pk).update(scheduled_for=an_hour_ago)
        request.refresh_from_db()
    return request


def drive_to(request: ReferenceRequest, status: str, contact: Contact, manager) -> ReferenceRequest:
    """Move `request` to `status` along the usual path, through the real transition service.

    `contact` is the one approved; `manager` the reference manager who acts (None when the path
    needs none: the requester cancels). A request expires once its needed-by date has passed.
    """
    path, done = USUAL_PATH[status], USUAL_PATH[request.status]
    if path[: len(done)] == done:
        path = path[len(done) :]  # already part of the way there
    for action in path:
        request.refresh_from_db()
        if action == "expire":
            ReferenceRequest.objects.filter(pk=request.pk).update(needed_by=date.today() - timedelta(days=1))
        if action == "record_activity":
            held(request)
        request = request_transition(
            request_id=request.pk,
            action=action,
            actor=actor_for(action, request, manager),
            **payload_for(action, request, contact, manager),
        )
    request.refresh_from_db()
    return request


def make_program(size: int, sales_rep, other_rep, manager, owner) -> list:
    """`size` requests in review, each with its own contact, history, tasks, an old activity and
    an event; the contacts share five accounts (so requests collide with each other) and stay
    under the per-account burnout limit."""
    accounts = [catalogue.make_account(owner) for _ in range(5)]
    requests = []
    for i in range(size):
        contact = catalogue.make_contact(accounts[i % 5])
        # Older than the burnout windows, so every contact can still be approved.
        catalogue.make_activity(contact, date.today() - timedelta(days=120 + i))
        rep = sales_rep if i % 2 else other_rep
        requests.append(drive_to(make_request(rep, contact), "in_review", contact, manager))
        event = Event.objects.create(
            title=f"Round table {i}", activity_type=catalogue.activity_type(), occurred_on=date.today()
        )
        event.speakers.add(contact)
        catalogue.make_contact(accounts[i % 5])  # an alternative candidate
    search_index_rebuild()
    return requests


def make_campaign_request(
    requester,
    *contacts: Contact,
    campaign: str = "Spring press tour",
    code: str = "press_interview",
    **fields,
) -> ReferenceRequest:
    """A campaign request (no deal) by `requester` (marketing or a manager), just submitted."""
    return request_submit(
        requester=requester,
        campaign=campaign,
        activity_type=catalogue.activity_type(code),
        contacts=list(contacts),
        needed_by=fields.pop("needed_by", date.today() + timedelta(days=14)),
        **fields,
    )


def make_planned_event(actor, *speakers: Contact, days: int = 7, capacity: int = 5, **fields):
    """A planned event `days` from now (a past one, for recording, is moved back after planning)."""
    from workflows.planned_events import planned_event_create

    start = timezone.now() + timedelta(days=max(days, 1))
    planned = planned_event_create(
        actor=actor,
        title=fields.pop("title", "Group call on fraud"),
        activity_type=catalogue.activity_type(fields.pop("code", "group_reference_call")),
        starts_at=start,
        capacity=capacity,
        speaker_ids=[s.pk for s in speakers],
        **fields,
    )
    if days < 1:
        type(planned).objects.filter(pk=planned.pk).update(
            starts_at=timezone.now() + timedelta(days=days, hours=-1)
        )
        planned.refresh_from_db()
    return planned

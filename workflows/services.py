"""Workflow services: the one function that moves a request, submitting one (its first tasks and
notice), the requester's cancel and feedback, and bulk moves. The periodic sweep is in sweep.py.

Locking rule: every write to a request's status, tasks or history first locks the request row
(`select_for_update`), and the status itself changes only through a conditional UPDATE on the
status that was read. Two concurrent clicks therefore serialize: the first moves the request,
the second finds it moved and gets a Conflict naming who acted first.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.dates import moment_text
from core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from references.models import ActivityType, Contact, Opportunity, Persona
from requests_app.history import request_event_write
from requests_app.models import ReferenceRequest, RequestEvent, RequestFeedback, RequestStatus
from requests_app.services import feedback_record, request_create
from workflows.guards import resume_target
from workflows.machine import RESUME, Transition, TransitionContext
from workflows.models import EventNotice, StepRole, Task
from workflows.notices import notify_request_event
from workflows.tasking import close_open_tasks, open_tasks_for_status, recompute_due_times
from workflows.transitions import (
    ACTIONS,
    SUBMIT_NOTIFICATIONS,
    action_label,
    actor_relations,
    find_transition,
    past_tense,
)

logger = logging.getLogger(__name__)


def load_locked(request_id: int) -> ReferenceRequest:
    request = (
        ReferenceRequest.objects.select_for_update(of=("self",))
        .select_related(
            "activity_type", "requester", "assigned_manager", "chosen_contact__account__owner", "opportunity"
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise InvalidInput("This request no longer exists.")
    return request


def display_name(user: User | None) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.username


def event_actor_name(event: RequestEvent) -> str:
    """Who took a history row's action, for "… by <name>": a staff user, the customer (by name),
    or the system. Needs `actor` and `actor_contact` loaded."""
    if event.actor_contact_id is not None and event.actor_id is None:
        return f"{event.actor_contact.full_name}, the customer"
    return display_name(event.actor)


def _conflict(request: ReferenceRequest, action: str) -> Conflict:
    """The clear message for an action that no longer fits: who moved the request, and when."""
    last = (
        request.events.filter(action__in=ACTIONS)
        .select_related("actor", "actor_contact")
        .order_by("-created_at", "-id")
        .first()
    )
    status = RequestStatus(request.status).label.lower()
    if last is None:
        return Conflict(f"“{action_label(action)}” is not possible while request #{request.pk} is {status}.")
    when = moment_text(last.created_at)
    moved = f"{past_tense(last.action)} by {event_actor_name(last)} on {when}"
    if last.action == action:
        return Conflict(f"Request #{request.pk} was already {moved}.")
    return Conflict(
        f"“{action_label(action)}” is no longer possible: request #{request.pk} was {moved} "
        f"and is now {status}."
    )


def record_notices(*, event: RequestEvent, kinds: tuple[str, ...]) -> None:
    """Record the notifications a history row causes, in the history row's transaction.

    The single place where notification delivery hooks in; unique per (event, kind).
    """
    EventNotice.objects.bulk_create(
        [EventNotice(event=event, kind=kind) for kind in kinds], ignore_conflicts=True
    )
    notify_request_event(event=event, kinds=kinds)


def _check(ctx: TransitionContext, note: str) -> None:
    transition = ctx.transition
    if not transition.open_to(ctx.relations):
        raise NotAllowed(f"You may not {transition.label.lower()} request #{ctx.request.pk}.")
    if transition.note_required and not note:
        raise InvalidInput("Give a reason or the information asked for.", field="note")
    if transition.guard:
        transition.guard(ctx)


def _set_status(request: ReferenceRequest, target: str, updates: dict[str, Any], now) -> None:
    """The conditional UPDATE: only if the status is still the one read."""
    fields = {"status": target, "updated_at": now, **updates}
    if target != request.status:
        fields["status_changed_at"] = now
    changed = ReferenceRequest.objects.filter(pk=request.pk, status=request.status).update(**fields)
    if changed != 1:
        raise Conflict(f"Request #{request.pk} changed while you were acting; reload it and try again.")
    for name, value in fields.items():
        setattr(request, name, value)


def _move_tasks(request: ReferenceRequest, transition: Transition, source: str, updates: dict, ctx) -> None:
    if request.status != source:
        close_open_tasks(request=request, outcome=transition.close_tasks_as, actor=ctx.actor, now=ctx.now)
        open_tasks_for_status(request=request, now=ctx.now)
        return
    if "assigned_manager" in updates:
        Task.objects.filter(request=request, status=Task.Status.OPEN, assignee_role=StepRole.MANAGER).update(
            assignee=updates["assigned_manager"]
        )
    if "scheduled_for" in updates:
        recompute_due_times(request=request, now=ctx.now)


def request_transition(
    *,
    request_id: int,
    action: str,
    actor: User | None,
    note: str = "",
    expected_status: str | None = None,
    customer: Contact | None = None,
    **payload: Any,
) -> ReferenceRequest:
    """Apply one row of the transition table to a request; `actor=None` is the system, or, with
    `customer`, the customer contact acting from the portal (the CUSTOMER relation holds only for
    the request's chosen contact; the history row names the contact).

    Checks the actor's relation and the guard, changes the status only if it is still what was
    read (or `expected_status`, the status the user saw), writes the history row and its
    notices, and closes and opens tasks — all in one transaction. Raises Conflict when someone
    acted first, NotAllowed for the wrong person, InvalidInput for bad input.
    """
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action “{action}”.")
    note = (note or "").strip()
    with transaction.atomic():
        request = load_locked(request_id)
        transition = find_transition(request.status, action)
        if transition is None or (expected_status and expected_status != request.status):
            raise _conflict(request, action)
        ctx = TransitionContext(
            request=request,
            transition=transition,
            actor=actor,
            relations=actor_relations(request, actor, customer),
            note=note,
            payload=payload,
            now=timezone.now(),
            customer=customer,
        )
        _check(ctx, note)
        source = request.status
        target = resume_target(request) if transition.target == RESUME else transition.target
        updates = transition.effect(ctx) if transition.effect else {}
        _set_status(request, target, updates, ctx.now)
        override = str(payload.get("override_reason") or "").strip()
        event_note = ctx.cleaned.get("history_note", note)  # a guard may word the history row
        event = request_event_write(
            request=request,
            actor=actor,
            actor_contact=customer,
            action=action,
            from_status=source,
            to_status=target,
            note=f"{event_note}\nLimit overridden: {override}".strip() if override else event_note,
        )
        record_notices(event=event, kinds=transition.notifications)
        _move_tasks(request, transition, source, updates, ctx)
    return request


def open_workflow_tasks(*, request: ReferenceRequest, actor: User | None) -> list[Task]:
    """Open the tasks bound to a request's current status; call it right after creating one.

    For a submitted request it also records the "request submitted" notice on the submission's
    history row (writing that row if the caller did not). Repeating the call is harmless.
    """
    with transaction.atomic():
        locked = load_locked(request.pk)
        tasks = open_tasks_for_status(request=locked, now=timezone.now())
        if locked.status == RequestStatus.SUBMITTED:
            event = (
                locked.events.filter(to_status=RequestStatus.SUBMITTED).order_by("-created_at", "-id").first()
            )
            if event is None:
                event = request_event_write(
                    request=locked, actor=actor, action="submit", to_status=RequestStatus.SUBMITTED
                )
            record_notices(event=event, kinds=SUBMIT_NOTIFICATIONS)
    return tasks


# --- The requester's entry points -----------------------------------------------------------


def request_submit(
    *,
    requester: User,
    opportunity: Opportunity | None = None,
    campaign: str = "",
    activity_type: ActivityType,
    contacts: Sequence[Contact | int],
    needed_by: date,
    prospect_contact_role: Persona | None = None,
    notes: str = "",
) -> ReferenceRequest:
    """Submit a request for up to three contacts, in order of preference, and start its workflow;
    for a deal (`opportunity`) or, from marketing and the program, for a `campaign` (its name).

    One transaction: the request, its candidates and history (`requests_app.services.request_create`,
    which validates and names the field at fault), then its first tasks and the managers' notice.
    """
    with transaction.atomic():
        request = request_create(
            requester=requester,
            opportunity=opportunity,
            campaign=campaign,
            activity_type=activity_type,
            contacts=contacts,
            needed_by=needed_by,
            prospect_contact_role=prospect_contact_role,
            notes=notes,
        )
        open_workflow_tasks(request=request, actor=requester)
    return request


def request_cancel(*, request: ReferenceRequest, actor: User, reason: str) -> ReferenceRequest:
    """Cancel a request that is not scheduled yet, with the reason kept in its history.

    The transition table decides: the requester may cancel until the request is scheduled;
    NotAllowed for anyone else, Conflict if it moved on since the page was shown.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why you cancel the request.", field="reason")
    return request_transition(
        request_id=request.pk, action="cancel", actor=actor, note=reason, expected_status=request.status
    )


def feedback_submit(
    *,
    request: ReferenceRequest,
    actor: User,
    took_place: bool,
    helpfulness: int | None = None,
    would_use_again: bool | None = None,
    outcome_note: str = "",
) -> RequestFeedback:
    """The requester's feedback once the activity is done (`requests_app.services.feedback_record`);
    feedback is the last step of a completed request's workflow, which then closes (and its task
    with it), in the same transaction."""
    with transaction.atomic():
        feedback = feedback_record(
            request=request,
            actor=actor,
            took_place=took_place,
            helpfulness=helpfulness,
            would_use_again=would_use_again,
            outcome_note=outcome_note,
        )
        if feedback.request.status == RequestStatus.COMPLETED:
            request_transition(request_id=feedback.request.pk, action="close", actor=actor)
    return feedback


# --- Bulk actions ---------------------------------------------------------------------------


@dataclass
class BulkResult:
    """Which requests moved and, for the others, why not (each one its own transaction)."""

    done: list[int]
    failed: dict[int, str]


def requests_bulk_transition(
    *, request_ids: list[int], action: str, actor: User, note: str = "", **payload: Any
) -> BulkResult:
    """Apply one action to many requests; one that cannot move does not stop the others."""
    result = BulkResult(done=[], failed={})
    for request_id in dict.fromkeys(request_ids):
        try:
            request_transition(request_id=request_id, action=action, actor=actor, note=note, **payload)
        except DomainError as error:
            result.failed[request_id] = error.message
        else:
            result.done.append(request_id)
    return result

"""Workflow services: the one function that moves a request, the opening of a new request's
tasks, and the periodic sweep (overdue, escalation, expiry).

Locking rule: every write to a request's status, tasks or history first locks the request row
(`select_for_update`), and the status itself changes only through a conditional UPDATE on the
status that was read. Two concurrent clicks therefore serialize: the first moves the request,
the second finds it moved and gets a Conflict naming who acted first.
"""

import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from notifications.services import notify_request_event
from requests_app.models import ReferenceRequest, RequestEvent, RequestFeedback, RequestStatus
from workflows.guards import EFFECTS, GUARDS, TransitionContext, resume_target
from workflows.models import EventNotice, NoticeKind, StepRole, Task
from workflows.tasking import close_open_tasks, open_tasks_for_status, recompute_due_times
from workflows.transitions import (
    ACTIONS,
    RESUME,
    SUBMIT_NOTIFICATIONS,
    TABLE,
    Transition,
    action_label,
    actor_relations,
    find_transition,
    past_tense,
)

logger = logging.getLogger(__name__)


def _load_locked(request_id: int) -> ReferenceRequest:
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


def _conflict(request: ReferenceRequest, action: str) -> Conflict:
    """The clear message for an action that no longer fits: who moved the request, and when."""
    last = (
        request.events.filter(action__in=ACTIONS)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    status = RequestStatus(request.status).label.lower()
    if last is None:
        return Conflict(f"“{action_label(action)}” is not possible while request #{request.pk} is {status}.")
    when = date_format(timezone.localtime(last.created_at), "j M Y, H:i")
    moved = f"{past_tense(last.action)} by {display_name(last.actor)} on {when}"
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
    if not transition.roles & ctx.relations:
        raise NotAllowed(f"You may not {transition.label.lower()} request #{ctx.request.pk}.")
    if transition.note_required and not note:
        raise InvalidInput("Give a reason or the information asked for.", field="note")
    if transition.guard:
        GUARDS[transition.guard](ctx)


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
    **payload: Any,
) -> ReferenceRequest:
    """Apply one row of the transition table to a request; `actor=None` is the system.

    Checks the actor's relation and the guard, changes the status only if it is still what was
    read (or `expected_status`, the status the user saw), writes the history row and its
    notices, and closes and opens tasks — all in one transaction. Raises Conflict when someone
    acted first, NotAllowed for the wrong person, InvalidInput for bad input.
    """
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action “{action}”.")
    note = (note or "").strip()
    with transaction.atomic():
        request = _load_locked(request_id)
        transition = find_transition(request.status, action)
        if transition is None or (expected_status and expected_status != request.status):
            raise _conflict(request, action)
        ctx = TransitionContext(
            request=request,
            transition=transition,
            actor=actor,
            relations=actor_relations(request, actor),
            note=note,
            payload=payload,
            now=timezone.now(),
        )
        _check(ctx, note)
        source = request.status
        target = resume_target(request) if transition.target == RESUME else transition.target
        updates = EFFECTS[transition.effect](ctx) if transition.effect else {}
        _set_status(request, target, updates, ctx.now)
        override = str(payload.get("override_reason") or "").strip()
        event = RequestEvent.objects.create(
            request=request,
            actor=actor,
            action=action,
            from_status=source,
            to_status=target,
            note=f"{note}\nLimit overridden: {override}".strip() if override else note,
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
        locked = _load_locked(request.pk)
        tasks = open_tasks_for_status(request=locked, now=timezone.now())
        if locked.status == RequestStatus.SUBMITTED:
            event = (
                locked.events.filter(to_status=RequestStatus.SUBMITTED).order_by("-created_at", "-id").first()
            )
            if event is None:
                event = RequestEvent.objects.create(
                    request=locked, actor=actor, action="submit", to_status=RequestStatus.SUBMITTED
                )
            record_notices(event=event, kinds=SUBMIT_NOTIFICATIONS)
    return tasks


# --- The periodic sweep ---------------------------------------------------------------------

EXPIRABLE = frozenset(t.source for t in TABLE if t.action == "expire")


@dataclass
class SweepResult:
    overdue: int = 0
    escalated: int = 0
    expired: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def tasks_mark_overdue(*, now) -> int:
    """One UPDATE: open tasks past their due time become overdue."""
    return Task.objects.filter(status=Task.Status.OPEN, is_overdue=False, due_at__lt=now).update(
        is_overdue=True
    )


def approvals_escalate(*, now) -> int:
    """Account-owner approvals past their service level go to the reference managers.

    Each task is claimed by a conditional UPDATE on `escalated_at`, so two sweeps at once
    escalate it once; the history row and its notice are written with the claim.
    """
    late = Task.objects.filter(
        status=Task.Status.OPEN,
        assignee_role=StepRole.ACCOUNT_OWNER,
        step__is_approval=True,
        escalated_at__isnull=True,
        due_at__lt=now,
    ).values_list("pk", "request_id", "title")
    escalated = 0
    for task_id, request_id, title in late:
        with transaction.atomic():
            request = _load_locked(request_id)
            claimed = Task.objects.filter(
                pk=task_id, status=Task.Status.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            event = RequestEvent.objects.create(
                request=request,
                action="escalate",
                from_status=request.status,
                to_status=request.status,
                note=f"“{title}” is past its service level; escalated to the reference managers.",
            )
            record_notices(event=event, kinds=(NoticeKind.ESCALATION,))
            escalated += 1
    return escalated


def _transition_each(request_ids, action: str) -> int:
    moved = 0
    for request_id in request_ids:
        try:
            request_transition(request_id=request_id, action=action, actor=None)
        except DomainError as error:
            # Someone acted on it since it was read: nothing left to do for this one.
            logger.info("sweep: %s of request %s skipped: %s", action, request_id, error.message)
            continue
        moved += 1
    return moved


def requests_expire(*, today) -> int:
    """Requests past their needed-by date and not yet scheduled expire (the requester is told)."""
    ids = ReferenceRequest.objects.filter(status__in=EXPIRABLE, needed_by__lt=today).values_list(
        "pk", flat=True
    )
    return _transition_each(list(ids), "expire")


def requests_close_with_feedback() -> int:
    """Completed requests whose requester has given feedback are closed."""
    with_feedback = RequestFeedback.objects.values("request_id")
    ids = ReferenceRequest.objects.filter(status=RequestStatus.COMPLETED, pk__in=with_feedback).values_list(
        "pk", flat=True
    )
    return _transition_each(list(ids), "close")


def workflow_sweep(*, now=None) -> SweepResult:
    """The periodic job: mark overdue, escalate approvals, expire and close requests."""
    now = now or timezone.now()
    return SweepResult(
        overdue=tasks_mark_overdue(now=now),
        escalated=approvals_escalate(now=now),
        expired=requests_expire(today=timezone.localdate(now)),
        closed=requests_close_with_feedback(),
    )


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

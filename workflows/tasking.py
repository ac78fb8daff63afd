"""Tasks: opened when a request enters a status, closed when it leaves, worked from "My tasks".

Within one status the steps bound to it run in their order: completing a task opens the next
step of the same status (a case study's interview, then the draft, then the customer's approval).
Every function here runs inside the caller's transaction with the request row locked, so the
partial unique constraint (one open task per request and step) is never raced.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.roles import Role, has_role
from requests_app.history import request_event_write
from requests_app.models import Nomination, ReferenceRequest, RequestStatus
from workflows.calendar import calendar_for
from workflows.models import StepRole, Task, WorkflowStep
from workflows.querysets import eligible_assignees, queues_of
from workflows.transitions import APPROVAL_STATUSES, Actor, Transition, transitions_from


def _steps(request: ReferenceRequest):
    return WorkflowStep.objects.filter(
        template__activity_type_id=request.activity_type_id, template__is_active=True
    ).order_by("order")


def assignee_for(request: ReferenceRequest, role: str) -> User | None:
    """The person a step's task goes to; None leaves it in the role's queue."""
    if role == StepRole.MANAGER:
        return request.assigned_manager
    if role == StepRole.REQUESTER:
        return request.requester
    if role == StepRole.ACCOUNT_OWNER and request.chosen_contact is not None:
        return request.chosen_contact.account.owner
    return None


def due_time(request: ReferenceRequest, step: WorkflowStep, assignee: User | None, now: datetime) -> datetime:
    """The step's service level counted on the assignee's business calendar.

    Steps of a scheduled request count from the scheduled moment (the call must happen first).
    """
    start = now
    if (
        step.request_status == RequestStatus.SCHEDULED
        and request.scheduled_for
        and request.scheduled_for > now
    ):
        start = request.scheduled_for
    return calendar_for(assignee).add(start, step.sla_amount, step.sla_unit)


def open_step_task(*, request: ReferenceRequest, step: WorkflowStep, now: datetime) -> Task:
    """Open the task of `step` unless it is already open (repeating is harmless)."""
    existing = Task.objects.filter(request=request, step=step, status=Task.Status.OPEN).first()
    if existing is not None:
        return existing
    assignee = assignee_for(request, step.role)
    return Task.objects.create(
        request=request,
        step=step,
        title=step.name,
        assignee=assignee,
        assignee_role=step.role,
        due_at=due_time(request, step, assignee, now),
    )


def open_tasks_for_status(*, request: ReferenceRequest, now: datetime) -> list[Task]:
    """Open the first step bound to the request's current status, if its workflow has one."""
    step = _steps(request).filter(request_status=request.status).first()
    return [open_step_task(request=request, step=step, now=now)] if step else []


def close_open_tasks(*, request: ReferenceRequest, outcome: str, actor: User | None, now: datetime) -> int:
    return Task.objects.filter(request=request, status=Task.Status.OPEN).update(
        status=outcome, completed_at=now, completed_by=actor
    )


def recompute_due_times(*, request: ReferenceRequest, now: datetime) -> None:
    """After a reschedule, move the due times of the open tasks of the current status."""
    for task in Task.objects.filter(request=request, status=Task.Status.OPEN).select_related(
        "step", "assignee"
    ):
        if task.step is not None:
            task.due_at = due_time(request, task.step, task.assignee, now)
            task.is_overdue = False
            task.save(update_fields=["due_at", "is_overdue"])


def _locked_task(task_id: int) -> Task:
    task = Task.objects.select_related("step", "assignee").filter(pk=task_id).first()
    if task is None:
        raise InvalidInput("This task no longer exists.")
    # Lock the request (or nomination) first: its moves take the same lock, so a task and what
    # it is for never change under each other.
    if task.request_id is not None:
        ReferenceRequest.objects.select_for_update().filter(pk=task.request_id).first()
    else:
        Nomination.objects.select_for_update().filter(pk=task.nomination_id).first()
    task.refresh_from_db()
    return task


def can_work_task(task: Task, user: User) -> bool:
    """The assignee, anyone working the task's queue while unassigned, and reference managers
    (the tasks `Task.objects.visible_to(user)` holds)."""
    if has_role(user, Role.MANAGER) or task.assignee_id == user.pk:
        return True
    return task.assignee_id is None and task.assignee_role in queues_of(user)


# The relation to a request that a task of each role gives its assignee.
ROLE_ACTOR = {
    StepRole.MANAGER: Actor.MANAGER,
    StepRole.ACCOUNT_OWNER: Actor.ACCOUNT_OWNER,
    StepRole.REQUESTER: Actor.REQUESTER,
}
_NOT_WORK = ("cancel", "expire")


def has_next_step(task: Task) -> bool:
    """Whether another step of the same status follows (annotated by the task-list selector)."""
    annotated = getattr(task, "has_next_step", None)
    if annotated is not None or task.step is None:
        return bool(annotated)
    return WorkflowStep.objects.filter(
        template_id=task.step.template_id, request_status=task.step.request_status, order__gt=task.step.order
    ).exists()


def finishing_transitions(task: Task) -> list[Transition]:
    """The request actions that finish this task, when only they can.

    An approval of the request is always answered by approving or declining it. Otherwise, the
    last step of a status ends when the request moves on, if the task's role may move it (the
    manager's "Hold the call and record it" ends by recording the activity); any other task is
    ticked off on the task list, opening the next step.
    """
    if task.step is None:
        return []
    status = task.step.request_status
    actor = ROLE_ACTOR.get(task.assignee_role)
    moves = [
        t
        for t in transitions_from(status)
        if t.moves_tasks and t.action not in _NOT_WORK and actor in t.roles
    ]
    if task.step.is_approval and status in APPROVAL_STATUSES:
        return moves
    return [] if has_next_step(task) else moves


def _history(task: Task, action: str, actor: User, note: str) -> None:
    if task.request_id is None:
        return  # a nomination's tasks keep their own completed_by/at; it has no event history
    status = ReferenceRequest.objects.values_list("status", flat=True).get(pk=task.request_id)
    request_event_write(
        request_id=task.request_id,
        actor=actor,
        action=action,
        from_status=status,
        to_status=status,
        note=note,
    )


def task_complete(*, task_id: int, actor: User) -> Task:
    """Mark a task done and open the next step of the same status. Approvals are answered on
    the request itself, not here."""
    with transaction.atomic():
        task = _locked_task(task_id)
        if not can_work_task(task, actor):
            raise NotAllowed("This task is not on your list.")
        if task.is_consent:
            raise InvalidInput(
                f"“{task.title}” is answered on the nomination's page: give or refuse consent."
            )
        finishing = finishing_transitions(task)
        if finishing:
            labels = " or ".join(f"“{t.label}”" for t in finishing[:3])
            raise InvalidInput(
                f"“{task.title}” ends when the request moves on: {labels} on request #{task.request_id}."
            )
        now = timezone.now()
        done = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
            status=Task.Status.DONE, completed_at=now, completed_by=actor
        )
        if not done:
            who = task.completed_by.get_full_name() if task.completed_by else "someone else"
            raise Conflict(f"“{task.title}” was already closed by {who}.")
        _history(task, "task_done", actor, f"Task done: {task.title}")
        _open_next_step(task, now)
    task.refresh_from_db()
    return task


def _open_next_step(task: Task, now: datetime) -> None:
    if task.step is None:
        return
    request = ReferenceRequest.objects.select_related(
        "assigned_manager", "requester", "chosen_contact__account__owner"
    ).get(pk=task.request_id)
    if request.status != task.step.request_status:
        return
    following = (
        WorkflowStep.objects.filter(
            template_id=task.step.template_id, request_status=request.status, order__gt=task.step.order
        )
        .order_by("order")
        .first()
    )
    if following is not None:
        open_step_task(request=request, step=following, now=now)


def task_reassign(*, task_id: int, actor: User, assignee: User) -> Task:
    """Give an open task to another person who may do work of its role."""
    with transaction.atomic():
        task = _locked_task(task_id)
        if not (has_role(actor, Role.MANAGER) or task.assignee_id == actor.pk):
            raise NotAllowed("Only the assignee or a reference manager can reassign this task.")
        if task.status != Task.Status.OPEN:
            raise Conflict(f"“{task.title}” is already closed.")
        if task.is_consent:
            # Only the account's owner may answer it (`nominations.nomination_consent`).
            raise InvalidInput(
                f"“{task.title}” is the account owner's to answer: change the account's owner to hand "
                "it over, or answer on their behalf on the nomination's page.",
                field="assignee",
            )
        if not eligible_assignees(task.assignee_role).filter(pk=assignee.pk).exists():
            raise InvalidInput(
                f"{assignee.get_full_name() or assignee.username} cannot take a "
                f"{task.get_assignee_role_display().lower()} task.",
                field="assignee",
            )
        Task.objects.filter(pk=task.pk).update(assignee=assignee)
        name = assignee.get_full_name() or assignee.username
        _history(task, "task_reassigned", actor, f"Task “{task.title}” reassigned to {name}")
    task.refresh_from_db()
    return task

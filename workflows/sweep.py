"""The periodic sweep of the workflow: overdue tasks, escalated approvals, expired and closed
requests, and the reminders of asks the customer has not answered (workflows.ask_reminders).

Every change goes through the same locking as a user's (the request row first, then a
conditional UPDATE), so two sweeps at once change nothing twice.
"""

import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from requests_app.history import request_event_write
from requests_app.models import ReferenceRequest, RequestFeedback, RequestStatus
from workflows.ask_reminders import asks_remind
from workflows.models import NoticeKind, StepRole, Task
from workflows.services import load_locked, record_notices, request_transition
from workflows.transitions import EXPIRABLE

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    overdue: int = 0
    escalated: int = 0
    expired: int = 0
    closed: int = 0
    reminded: int = 0

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
            request = load_locked(request_id)
            claimed = Task.objects.filter(
                pk=task_id, status=Task.Status.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            event = request_event_write(
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
    """The periodic job: mark overdue, escalate approvals, expire and close requests, remind asks."""
    now = now or timezone.now()
    return SweepResult(
        overdue=tasks_mark_overdue(now=now),
        escalated=approvals_escalate(now=now),
        expired=requests_expire(today=timezone.localdate(now)),
        closed=requests_close_with_feedback(),
        reminded=asks_remind(now=now),
    )

"""An account changes owner: its open approvals follow the new owner.

The owner answers the requests to use their account. When they cannot (away, gone, never signed
in), a reference manager gives the account to someone who can; the requests waiting for the
owner then wait for the new one: their owner tasks are re-addressed, and each such request gets a
history row that tells the new owner an approval waits for them.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from references.models import Account
from references.services import account_owner_change
from requests_app.history import request_event_write
from requests_app.models import ReferenceRequest
from requests_app.statuses import OPEN_STATUSES
from workflows.models import NoticeKind, StepRole, Task
from workflows.services import display_name, record_notices
from workflows.tasking import due_time
from workflows.transitions import statuses_where

# Requests whose next answer is the account owner's.
WAITING_FOR_OWNER = statuses_where("owner_approve")


def account_owner_reassign(*, account: Account, owner: User, reason: str, actor: User) -> Account:
    """Give `account` to `owner` (the catalogue's `account_owner_change`: who may own, the note
    in the account's history) and hand its open approvals and owner tasks to them, in one
    transaction; each request waiting for the owner gets a history row that tells the new owner.

    Locks the account's open requests first, then the account (the lock order of every writer)."""
    with transaction.atomic():
        requests = list(
            ReferenceRequest.objects.select_for_update(of=("self",))
            .filter(chosen_contact__account=account, status__in=OPEN_STATUSES)
            .select_related("activity_type", "opportunity", "requester", "chosen_contact__account__owner")
            .order_by("pk")
        )
        before = display_name(account.owner)
        account = account_owner_change(account=account, owner=owner, reason=reason, actor=actor)
        _hand_owner_tasks(requests, owner)
        # The consent asked of the owner about nominations of this account is the new owner's too.
        Task.objects.filter(
            nomination__account=account, status=Task.Status.OPEN, assignee_role=StepRole.ACCOUNT_OWNER
        ).update(assignee=owner, is_overdue=False)
        note = f"The account's owner is now {display_name(owner)} (was {before}): {reason.strip()}"
        for request in requests:
            if request.status not in WAITING_FOR_OWNER:
                continue
            request.chosen_contact.account = account  # the notice names the new owner
            event = request_event_write(
                request=request,
                actor=actor,
                action="owner_changed",
                from_status=request.status,
                to_status=request.status,
                note=note,
            )
            record_notices(event=event, kinds=(NoticeKind.APPROVAL_NEEDED,))
    return account


def _hand_owner_tasks(requests: list[ReferenceRequest], owner: User) -> None:
    """Every open task of the owner's on these requests is the new owner's now, due as if opened
    now on their business calendar; the old wait's escalation is over, so its clock restarts."""
    now = timezone.now()
    by_pk = {request.pk: request for request in requests}
    tasks = Task.objects.filter(
        request__in=requests, status=Task.Status.OPEN, assignee_role=StepRole.ACCOUNT_OWNER
    ).select_related("step")
    for task in tasks:
        task.assignee = owner
        if task.step is not None:
            task.due_at = due_time(by_pk[task.request_id], task.step, owner, now)
        task.escalated_at, task.is_overdue = None, False
        task.save(update_fields=["assignee", "due_at", "escalated_at", "is_overdue"])

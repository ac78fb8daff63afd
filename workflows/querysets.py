"""Chainable queryset methods for tasks, and the scopes every id a workflow action names is
resolved through: whose list a task is on and who may see it, who may be given a task, who may be
recorded as having taken part in an activity. The pages, the API and the guards all start here,
so parsing an id and scoping it are one step (a ModelChoiceField or PrimaryKeyRelatedField over
these querysets) and the guard checks the same set again under the request's lock."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q, QuerySet

from core.roles import ACCOUNT_OWNER_ROLES, Role, user_roles, users_with_roles
from references.models import Contact
from references.visibility import runs_the_program
from requests_app.models import ReferenceRequest
from workflows.statuses import StepRole, TaskStatus

# The role queues each staff role works (unassigned tasks of these roles are theirs to pick up).
QUEUES_BY_ROLE = {Role.MANAGER: (StepRole.MANAGER,), Role.MARKETING: (StepRole.MARKETING,)}

# Who may be given a task of each role queue.
ELIGIBLE_ROLES = {
    StepRole.MANAGER: (Role.MANAGER,),
    StepRole.MARKETING: (Role.MARKETING, Role.MANAGER),
    StepRole.ACCOUNT_OWNER: ACCOUNT_OWNER_ROLES,
    StepRole.REQUESTER: (Role.SALES, Role.MARKETING, Role.MANAGER),
    StepRole.CUSTOMER: (Role.MANAGER,),
}


def queues_of(user) -> list[str]:
    """The role queues whose unassigned tasks `user` may pick up."""
    return [queue for role in user_roles(user) for queue in QUEUES_BY_ROLE.get(role, ())]


class TaskQuerySet(models.QuerySet):
    def open(self) -> "TaskQuerySet":
        return self.filter(status=TaskStatus.OPEN)

    def visible_to(self, user) -> "TaskQuerySet":
        """Tasks `user` may see and act on: reference managers every task; anyone else the tasks
        assigned to them and the unassigned ones of their roles' queues. Outside it, a 404."""
        if runs_the_program(user):  # the same rule as the catalogue's
            return self
        if not user.is_authenticated:
            return self.none()
        mine = Q(assignee=user)
        queues = queues_of(user)
        if queues:
            mine |= Q(assignee__isnull=True, assignee_role__in=queues)
        return self.filter(mine)

    def on_list_of(self, user) -> "TaskQuerySet":
        """Open tasks on `user`'s list: assigned to them, unassigned in their roles' queues, and —
        for reference managers — approvals escalated to the program."""
        roles = user_roles(user)
        queues = queues_of(user)
        mine = Q(assignee=user)
        if queues:
            mine |= Q(assignee__isnull=True, assignee_role__in=queues)
        if Role.MANAGER in roles:
            mine |= Q(escalated_at__isnull=False)
        return self.open().filter(mine)


def eligible_assignees(role: str) -> QuerySet[User]:
    """The active users who may be given a task of the `role` queue (a reassign's choices)."""
    return users_with_roles(*ELIGIBLE_ROLES[StepRole(role)])


def request_managers() -> QuerySet[User]:
    """Who a request may be assigned to: the active reference managers."""
    return eligible_assignees(StepRole.MANAGER)


def participants_for(request: ReferenceRequest) -> QuerySet[Contact]:
    """Who may be recorded as having taken part in `request`'s activity: the people at the
    account of its chosen contact (nobody before a contact is chosen)."""
    if request.chosen_contact_id is None:
        return Contact.objects.none()
    account = Contact.objects.filter(pk=request.chosen_contact_id).values("account_id")[:1]
    return Contact.objects.filter(account_id=models.Subquery(account))


def speakers_for(request_ids: Iterable[int]) -> QuerySet[Contact]:
    """Who may speak at an event serving these requests: the people at the accounts of their
    chosen contacts (an event counts against the limits of its speakers only)."""
    accounts = ReferenceRequest.objects.filter(pk__in=list(request_ids), chosen_contact__isnull=False).values(
        "chosen_contact__account_id"
    )
    return Contact.objects.filter(account_id__in=accounts)

"""Chainable queryset methods for tasks: whose list a task is on starts here."""

from django.db import models
from django.db.models import Q

from core.roles import Role, user_roles
from workflows.statuses import StepRole, TaskStatus

# The role queues each staff role works (unassigned tasks of these roles are theirs to pick up).
QUEUES_BY_ROLE = {Role.MANAGER: (StepRole.MANAGER,), Role.MARKETING: (StepRole.MARKETING,)}


class TaskQuerySet(models.QuerySet):
    def open(self) -> "TaskQuerySet":
        return self.filter(status=TaskStatus.OPEN)

    def on_list_of(self, user) -> "TaskQuerySet":
        """Open tasks on `user`'s list: assigned to them, unassigned in their roles' queues, and —
        for reference managers — approvals escalated to the program."""
        roles = user_roles(user)
        queues = [queue for role in roles for queue in QUEUES_BY_ROLE.get(role, ())]
        mine = Q(assignee=user)
        if queues:
            mine |= Q(assignee__isnull=True, assignee_role__in=queues)
        if Role.MANAGER in roles:
            mine |= Q(escalated_at__isnull=False)
        return self.open().filter(mine)

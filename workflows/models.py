"""Workflow templates (per activity type), their steps, and the tasks a request creates.

A step is bound to the request status during which its task is open: entering that status opens
the step's task, leaving it closes the task. The transition table in workflows/transitions.py
decides which statuses follow which.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from references.models import ActivityType
from requests_app.models import ReferenceRequest, RequestStatus


class StepRole(models.TextChoices):
    MANAGER = "manager", "Reference manager"
    ACCOUNT_OWNER = "account_owner", "Account owner"
    REQUESTER = "requester", "Requester"
    MARKETING = "marketing", "Marketing"
    CUSTOMER = "customer", "Customer"


class SlaUnit(models.TextChoices):
    BUSINESS_HOURS = "business_hours", "Business hours"
    BUSINESS_DAYS = "business_days", "Business days"


class WorkflowTemplate(models.Model):
    """The ordered steps a request of one activity type goes through."""

    activity_type = models.OneToOneField(ActivityType, on_delete=models.CASCADE, related_name="workflow")
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["activity_type__sort_order"]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    """One step of a workflow: who does it, during which request status, within what time."""

    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=StepRole.choices)
    request_status = models.CharField(
        max_length=20,
        choices=RequestStatus.choices,
        help_text="The task of this step is open while the request is in this status.",
    )
    sla_amount = models.PositiveSmallIntegerField(default=1)
    sla_unit = models.CharField(max_length=20, choices=SlaUnit.choices, default=SlaUnit.BUSINESS_DAYS)
    is_approval = models.BooleanField(default=False)

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="step_unique_order"),
            models.CheckConstraint(condition=Q(role__in=StepRole.values), name="step_role_valid"),
            models.CheckConstraint(
                condition=Q(request_status__in=RequestStatus.values), name="step_status_valid"
            ),
            models.CheckConstraint(condition=Q(sla_unit__in=SlaUnit.values), name="step_sla_unit_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.order}. {self.name}"


class Task(models.Model):
    """A piece of work a request needs, for a person or a role queue, due by a business time."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    request = models.ForeignKey(ReferenceRequest, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(WorkflowStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    assignee_role = models.CharField(
        max_length=20, choices=StepRole.choices, help_text="The role queue the task belongs to."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField()
    is_overdue = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # Opening the same step twice for a request is harmless: the database refuses it.
            models.UniqueConstraint(
                fields=["request", "step"], condition=Q(status="open"), name="task_one_open_per_step"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "skipped"]), name="task_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(assignee_role__in=StepRole.values), name="task_assignee_role_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["assignee_role", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.title

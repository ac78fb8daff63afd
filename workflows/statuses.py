"""The statuses of tasks and the role queues they belong to (apart from models.py, so querysets and
the transition table name them without importing the models)."""

from django.db import models


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class StepRole(models.TextChoices):
    """Who does a workflow step: the queue its task belongs to until someone is assigned."""

    MANAGER = "manager", "Reference manager"
    ACCOUNT_OWNER = "account_owner", "Account owner"
    REQUESTER = "requester", "Requester"
    MARKETING = "marketing", "Marketing"
    CUSTOMER = "customer", "Customer"


class PlannedEventStatus(models.TextChoices):
    """A planned one-to-many event: planned (reps sign deals up), then recorded or cancelled."""

    PLANNED = "planned", "Planned"
    RECORDED = "recorded", "Recorded"
    CANCELLED = "cancelled", "Cancelled"

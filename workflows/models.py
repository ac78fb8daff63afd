"""Workflow templates (per activity type), their steps, and the tasks a request creates.

A step is bound to the request status during which its task is open: entering that status opens
the step's task, leaving it closes the task. The transition table in workflows/transitions.py
decides which statuses follow which.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.dates import validate_sane_date
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, note_field
from references.models import ActivityType, Contact, Country, Opportunity, ReferenceActivity
from requests_app.models import Nomination, ReferenceRequest, RequestEvent, RequestStatus
from workflows.querysets import TaskQuerySet
from workflows.statuses import PlannedEventStatus, StepRole, TaskStatus


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
    """A piece of work a request or a nomination needs, for a person or a role queue, due by a
    business time. Exactly one of `request` and `nomination` is set: a request's tasks follow its
    workflow's steps; a nomination's (the owner's consent, then recruitment) are opened by
    `workflows/nominations.py` and have no step."""

    Status = TaskStatus

    request = models.ForeignKey(
        ReferenceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
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

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # Opening the same step twice for a request is harmless: the database refuses it.
            models.UniqueConstraint(
                fields=["request", "step"], condition=Q(status=TaskStatus.OPEN), name="task_one_open_per_step"
            ),
            models.UniqueConstraint(
                fields=["nomination", "title"],
                condition=Q(status=TaskStatus.OPEN, nomination__isnull=False),
                name="task_one_open_per_nomination_title",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False, nomination__isnull=True)
                | Q(request__isnull=True, nomination__isnull=False),
                name="task_for_request_or_nomination",
            ),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
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

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def about(self) -> str:
        """What the task is for, as its list and messages name it."""
        return f"request #{self.request_id}" if self.request_id else f"nomination #{self.nomination_id}"

    @property
    def is_consent(self) -> bool:
        """The account owner's consent to a nomination: answered on its page, not ticked off."""
        return self.nomination_id is not None and self.assignee_role == StepRole.ACCOUNT_OWNER

    @property
    def is_late(self) -> bool:
        """Open and past its due time (the sweep sets `is_overdue`; this is true at once)."""
        return self.status == self.Status.OPEN and (self.is_overdue or self.due_at < timezone.now())


class StaffCalendar(models.Model):
    """Where a staff member works: the country whose public holidays they take and their time zone.

    Task due times are counted in this calendar's business hours; staff without one use the
    program's default (settings.WORKFLOW_DEFAULT_COUNTRY and TIME_ZONE).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_calendar"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    time_zone = models.CharField(max_length=64, default="UTC")

    def __str__(self) -> str:
        return f"{self.user}: {self.country.code}, {self.time_zone}"


class NoticeKind(models.TextChoices):
    """What a history row tells people; the notifications app decides recipients and channels."""

    REQUEST_SUBMITTED = "request_submitted", "Request submitted (to reference managers)"
    REQUEST_ASSIGNED = "request_assigned", "Request assigned (to the manager)"
    APPROVAL_NEEDED = "approval_needed", "Approval needed (to the account owner)"
    REQUEST_APPROVED = "request_approved", "Request approved (to the requester)"
    REQUEST_DECLINED = "request_declined", "Request declined (to the requester)"
    OWNER_DECLINED = "owner_declined", "Account owner declined (to the manager)"
    NEEDS_INFO = "needs_info", "Information needed (to the requester)"
    INFO_PROVIDED = "info_provided", "Information provided (to the manager)"
    CUSTOMER_ASKED = "customer_asked", "Customer asked (to the contact)"
    CUSTOMER_ACCEPTED = "customer_accepted", "Customer accepted (to the manager and requester)"
    CUSTOMER_DECLINED = "customer_declined", "Customer declined (to the manager and requester)"
    REQUEST_SCHEDULED = "request_scheduled", "Scheduled (to the requester and contact)"
    REQUEST_CANCELLED = "request_cancelled", "Request cancelled (to the manager and account owner)"
    REQUEST_EXPIRED = "request_expired", "Request expired (to the requester)"
    FEEDBACK_REQUESTED = "feedback_requested", "Feedback requested (to the requester and contact)"
    ESCALATION = "escalation", "Approval escalated (to reference managers)"


class EventNotice(models.Model):
    """A notification a history row causes, recorded in the same transaction as the row.

    Unique per (event, kind): recording twice is harmless. The notifications app turns each notice
    into deliveries per recipient and channel.
    """

    event = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=40, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="eventnotice_unique_kind"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="eventnotice_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for event {self.event_id}"


class RequestActivity(models.Model):
    """Which recorded activity served which request (an event serves several)."""

    request = models.ForeignKey(ReferenceRequest, on_delete=models.CASCADE, related_name="served_by")
    activity = models.ForeignKey(ReferenceActivity, on_delete=models.CASCADE, related_name="served_requests")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "activity"], name="requestactivity_unique"),
        ]
        indexes = [models.Index(fields=["activity", "request"])]

    def __str__(self) -> str:
        return f"Activity {self.activity_id} served request {self.request_id}"


class Event(models.Model):
    """A one-to-many activity — a group reference call, a webinar — serving several requests.

    Each speaking contact gets exactly one ReferenceActivity for the event, linked to every
    opportunity the event served, so the event counts once against each contact's limits.
    """

    title = models.CharField(max_length=200)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(validators=[validate_sane_date])
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    notes = note_field(NOTE_MAX_LENGTH, blank=True)
    speakers = models.ManyToManyField(Contact, related_name="speaking_events")
    requests = models.ManyToManyField(ReferenceRequest, blank=True, related_name="served_by_events")
    activities = models.ManyToManyField(ReferenceActivity, blank=True, related_name="events")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.occurred_on})"


class PlannedEvent(models.Model):
    """A one-to-many event planned ahead (group reference call, webinar, customer council,
    user-group session): speakers, a start, a capacity of deals reps may sign up.

    Recording it afterwards (`workflows.planned_events.planned_event_record`) writes the `Event`
    and one ReferenceActivity per speaker linked to every deal that attended, so it counts once
    per speaker however many deals it served.
    """

    Status = PlannedEventStatus

    title = models.CharField(max_length=200)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(validators=[validate_sane_date])
    duration_minutes = models.PositiveIntegerField(default=60)
    capacity = models.PositiveSmallIntegerField(help_text="How many deals may sign up.")
    speakers = models.ManyToManyField(Contact, related_name="planned_events")
    notes = note_field(NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Once recorded: the event with its activities, and what the program noted about it.
    event = models.OneToOneField(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="planned", editable=False
    )
    feedback = note_field(NOTE_MAX_LENGTH, blank=True)
    # Why it was called off, for the reps whose deals were signed up (they are told).
    cancel_reason = note_field(REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlannedEventStatus.values), name="plannedevent_status_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="plannedevent_capacity_positive"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_planned(self) -> bool:
        return self.status == PlannedEventStatus.PLANNED

    @property
    def is_recorded(self) -> bool:
        return self.status == PlannedEventStatus.RECORDED


class EventSignup(models.Model):
    """A rep's deal signed up to a planned event (once per deal; the event's capacity caps them)."""

    planned_event = models.ForeignKey(PlannedEvent, on_delete=models.CASCADE, related_name="signups")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="event_signups")
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attended = models.BooleanField(null=True, blank=True, help_text="Recorded after the event.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["planned_event", "opportunity"], name="eventsignup_once_per_deal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} at {self.planned_event}"

"""The customer contact's identity in the portal, and what they ask of the program.

A contact is not a Django user: the portal has its own sessions, so nothing a contact holds can
open a staff page, and a staff session opens no contact's portal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.dates import validate_sane_date
from core.text import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, note_field
from customers.statuses import ErasureStatus, GiveBackKind
from references.models import Contact


class PortalSession(models.Model):
    """One browser signed in to the portal as one contact. Only the key's hash is stored."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="portal_sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["contact"], condition=Q(ended_at__isnull=True), name="portalsession_live")
        ]

    def __str__(self) -> str:
        return f"Portal session of {self.contact} from {self.started_at:%Y-%m-%d %H:%M}"


class PortalLink(models.Model):
    """A magic link: one sign-in of one contact, opening one portal page. Only the token's hash is
    stored; the token itself is in the email alone (customers/links.py)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="portal_links")
    token_hash = models.CharField(max_length=64, unique=True)
    next_path = models.CharField(max_length=500, help_text="The portal page Continue opens.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="A newer link replaced it.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["contact"],
                condition=Q(used_at__isnull=True, cancelled_at__isnull=True),
                name="portallink_unused",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="portallink_expires"
            )
        ]

    def __str__(self) -> str:
        return f"Portal link of {self.contact} from {self.created_at:%Y-%m-%d %H:%M}"


class ErasureRequest(models.Model):
    """A contact asked to have their personal data erased; a reference manager carries it out by
    `due_on` (settings.PORTAL_ERASURE_DAYS after the ask, the GDPR's month).

    One open request per contact (asking twice changes nothing). The contact row stays, anonymized
    and retired, so the activities and requests the reports count stay too.
    """

    Status = ErasureStatus

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="erasure_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(status=ErasureStatus.REQUESTED),
                name="erasure_one_open_per_contact",
            ),
            models.CheckConstraint(condition=Q(status__in=ErasureStatus.values), name="erasure_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ErasureStatus.REQUESTED) | Q(done_at__isnull=False),
                name="erasure_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"Erasure of contact #{self.contact_id} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ErasureStatus.REQUESTED

    @property
    def is_late(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class CustomerFeedback(models.Model):
    """The customer's own rating of an activity they did for a request (once per request); the
    manager and the requester read it beside the requester's (`requests_app.RequestFeedback`)."""

    request = models.OneToOneField(
        "requests_app.ReferenceRequest", on_delete=models.CASCADE, related_name="customer_feedback"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="feedback_given")
    rating = models.PositiveSmallIntegerField(help_text="1 (poor) to 5 (excellent).")
    comment = note_field(NOTE_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "customer feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="customerfeedback_rating_1_5"
            )
        ]
        indexes = [models.Index(fields=["contact", "-submitted_at"])]

    def __str__(self) -> str:
        return f"{self.contact}'s feedback on request {self.request_id}"


class GiveBack(models.Model):
    """Something the program gave a contact in return for their time: a beta seat, an advisory
    board seat, a speaking slot… (`GiveBackKind`), recorded by a reference manager
    (`customers.giveback`), set against what the program asked of them.

    The customer sees the kind, the day and `message` in their portal's history; `note` is the
    program's own (not on the portal, but in the contact's data download, as everything about them).
    """

    Kind = GiveBackKind

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="give_backs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    given_on = models.DateField(validators=[validate_sane_date])
    note = note_field(NOTE_MAX_LENGTH, blank=True, help_text="The program's own note.")
    message = note_field(REASON_MAX_LENGTH, blank=True, help_text="Shown to the customer in their portal.")
    # The request whose help it thanks for (one of the contact's own), if any.
    request = models.ForeignKey(
        "requests_app.ReferenceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="give_backs",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=GiveBackKind.values), name="giveback_kind_valid"),
        ]
        indexes = [models.Index(fields=["contact", "given_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for contact #{self.contact_id} on {self.given_on}"

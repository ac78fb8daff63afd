"""The customer contact's identity in the portal.

A contact is not a Django user: the portal has its own sessions, so nothing a contact holds can
open a staff page, and a staff session opens no contact's portal.
"""

from django.db import models
from django.db.models import Q

from core.text import NOTE_MAX_LENGTH, note_field
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

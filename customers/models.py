"""The customer contact's identity in the portal.

A contact is not a Django user: the portal has its own sessions, so nothing a contact holds can
open a staff page, and a staff session opens no contact's portal.
"""

from django.db import models
from django.db.models import Q

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

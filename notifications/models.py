"""Notifications: one row per recipient and channel for each event, and what users prefer.

A row is written in the same transaction as the event that causes it (its `key` names the event;
unique per recipient and channel, so the same event never produces two). An email row is
delivered by a Celery task enqueued after commit (notifications/delivery.py); an in-app row is
delivered by being there, and shows under the bell until read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from notifications import kinds
from notifications.kinds import Channel, Delivery
from references.models import Contact
from requests_app.models import ReferenceRequest, RequestEvent


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    HELD = "held", "Held for the daily digest"
    SKIPPED = "skipped", "Not sent"


class Notification(models.Model):
    """One message to one recipient (a staff user or a customer contact) on one channel."""

    key = models.CharField(
        max_length=200, help_text="The event that caused it, e.g. event:12:request_approved."
    )
    # A registered kind's code (notifications.kinds): the apps that raise notifications own them.
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField(blank=True, help_text="The address at the time it was written.")
    event = models.ForeignKey(
        RequestEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    request = models.ForeignKey(
        ReferenceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="Path of the page it is about.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="A retry is due then; the sweeper leaves the row until it is."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="digest_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "channel", "user"],
                condition=Q(user__isnull=False),
                name="notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["key", "channel", "contact"],
                condition=Q(contact__isnull=False),
                name="notification_once_per_contact",
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(contact__isnull=True))
                | (Q(user__isnull=True) & Q(contact__isnull=False)),
                name="notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(contact__isnull=True) | Q(channel=Channel.EMAIL),
                name="notification_contacts_by_email",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notification_channel_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="notification_status_valid"),
        ]
        indexes = [
            # The bell and the list: a user's in-app notifications, newest first, and the unread ones.
            models.Index(
                fields=["user", "-created_at"], condition=Q(channel=Channel.IN_APP), name="notification_inbox"
            ),
            models.Index(
                fields=["user"],
                condition=Q(channel=Channel.IN_APP, read_at__isnull=True),
                name="notification_unread",
            ),
            # The sweeper and the digest: rows still to deliver.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=[Status.PENDING, Status.SENDING, Status.HELD]),
                name="notification_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} to {self.user or self.contact} ({self.channel}, {self.status})"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How one staff user wants one kind of notification (the kind's default when absent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_once_per_kind"),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notificationpreference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"

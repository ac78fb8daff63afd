"""Webhooks out: who listens (Subscription), what happened (Message, the outbox row written in the
event's transaction), and each message's way to each subscriber (Delivery, with its attempts)."""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from webhooks.addresses import UnsafeAddress, check_url
from webhooks.statuses import DeliveryStatus, EventType

URL_MAX_LENGTH = 500
SECRET_BYTES = 32


def secret_new() -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def webhook_id_new() -> str:
    return f"msg_{uuid.uuid4().hex}"


def validate_events(value) -> None:
    """A list of known event types, each once; at least one."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."))
    unknown = [event for event in value if event not in EventType.values]
    if unknown:
        raise ValidationError(
            _("Unknown event types: %(unknown)s."), params={"unknown": ", ".join(map(str, unknown))}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each event once."))


class Subscription(models.Model):
    """An outside system's URL that hears about the events it lists, signed with its secret."""

    name = models.CharField(max_length=200)
    url = models.URLField(
        max_length=URL_MAX_LENGTH,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("http or https; private, loopback and link-local addresses are refused."),
    )
    secret = models.CharField(
        max_length=100,
        default=secret_new,
        editable=False,
        help_text=_("Verify the webhook-signature header with it (Standard Webhooks)."),
    )
    events = models.JSONField(default=list, validators=[validate_events])
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse a URL whose host is (or resolves to) an address outside the internet."""
        if not self.url:
            return
        try:
            check_url(self.url)
        except UnsafeAddress as error:
            raise ValidationError({"url": str(error)}) from error

    def listens_to(self, event_type: str) -> bool:
        return self.is_active and event_type in (self.events or [])


class Message(models.Model):
    """One event, as sent to every subscription that listened when it happened (the outbox row).

    The payload holds ids and codes only: receivers are outside systems, and a contact's name,
    email or phone never leaves RMS this way."""

    webhook_id = models.CharField(max_length=40, unique=True, default=webhook_id_new, editable=False)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_id}"


class Delivery(models.Model):
    """A message on its way to one subscription: pending → delivered, or retrying → dead."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(help_text=_("When it is due to be sent (again)."))
    # When a message to send it was last published (after commit, or by the sweep): the sweep
    # waits WEBHOOKS_SWEEP_GRACE seconds after it before publishing another.
    queued_at = models.DateTimeField(null=True, blank=True)
    # A worker sending it holds it until then; another one leaves it alone meanwhile.
    locked_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["message", "subscription"], name="webhook_delivery_once"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.subscription_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: what the receiver answered, or why there was no answer."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error[:40]}"

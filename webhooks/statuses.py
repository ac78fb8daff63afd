"""What a webhook delivery can be, and the events subscribers can ask for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """The events RMS sends out; a subscription lists the ones it wants."""

    REQUEST_STATUS_CHANGED = "request.status_changed", _("A reference request changed status")
    ACTIVITY_RECORDED = "activity.recorded", _("A reference activity was recorded")
    CONTACT_STATUS_CHANGED = "contact.status_changed", _("A contact's reference status changed")
    LIMIT_REACHED = "limit.reached", _("A contact reached a burnout limit")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Gave up")


# Deliveries still to be sent (by the task enqueued after commit, or by the sweep).
UNSENT_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)

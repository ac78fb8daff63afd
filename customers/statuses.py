"""The statuses of what customers ask of the program (an erasure request), and the kinds of what
the program gives back."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    DONE = "done", "Done"


class GiveBackKind(models.TextChoices):
    """What the program gave a contact in return for their time (never points or discounts: what
    customers value is influence on the product and meeting their peers). The labels are shown to
    the customer in their language."""

    BETA_SEAT = "beta_seat", _("Beta program seat")
    ADVISORY_BOARD = "advisory_board", _("Advisory board seat")
    SPEAKING_SLOT = "speaking_slot", _("Speaking slot")
    PEER_EVENT = "peer_event", _("Peer event invitation")
    RECOGNITION = "recognition", _("Recognition")
    FEEDBACK_SESSION = "feedback_session", _("Product feedback session")

"""Every kind of notification: what it is called and how it is delivered unless a user chooses.

The kinds of request events are the workflow's (workflows.models.NoticeKind): its transition
table records which ones each move causes. The rest come from periodic jobs here and in limits/.
"""

from django.db import models

from workflows.models import NoticeKind


class Delivery(models.TextChoices):
    """How a staff user wants one kind of notification."""

    BOTH = "both", "Email and in the app"
    EMAIL = "email", "Email only"
    IN_APP = "in_app", "In the app only"
    DIGEST = "digest", "In the app, and a daily email digest"
    NONE = "none", "Not at all"


class OtherKind(models.TextChoices):
    TASK_DUE_SOON = "task_due_soon", "Task due soon (to the assignee)"
    TASK_OVERDUE = "task_overdue", "Task overdue (to the assignee)"
    LIMIT_CHANGES = "limit_changes", "Contacts reaching, freed from or near a limit (managers, owners)"
    WEEKLY_DIGEST = "weekly_digest", "Weekly program digest (to reference managers)"
    DAILY_DIGEST = "daily_digest", "Daily digest of held notifications"


KIND_LABELS: dict[str, str] = {**dict(NoticeKind.choices), **dict(OtherKind.choices)}
KIND_CHOICES = list(KIND_LABELS.items())

# Kinds a staff user may set a preference for (the daily digest is itself the delivery of one).
CHOOSABLE = [kind for kind in KIND_LABELS if kind != OtherKind.DAILY_DIGEST]

# Unless a user chose otherwise: everything in the app, and email for what needs an answer.
DEFAULT_DELIVERY: dict[str, str] = dict.fromkeys(KIND_LABELS, Delivery.BOTH)
DEFAULT_DELIVERY.update(
    {
        NoticeKind.REQUEST_ASSIGNED: Delivery.IN_APP,
        NoticeKind.INFO_PROVIDED: Delivery.IN_APP,
        OtherKind.TASK_DUE_SOON: Delivery.IN_APP,
        OtherKind.LIMIT_CHANGES: Delivery.DIGEST,
        OtherKind.DAILY_DIGEST: Delivery.EMAIL,
        OtherKind.WEEKLY_DIGEST: Delivery.EMAIL,
    }
)


def channels_for(delivery: str) -> tuple[str, ...]:
    """The channels of a delivery choice: ("email", "in_app") for both; a digest holds the email."""
    return {
        Delivery.BOTH: ("email", "in_app"),
        Delivery.EMAIL: ("email",),
        Delivery.IN_APP: ("in_app",),
        Delivery.DIGEST: ("email", "in_app"),
        Delivery.NONE: (),
    }[Delivery(delivery)]

"""Reads for the bell, the list and the preferences page."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from notifications import kinds
from notifications.models import Channel, Notification, NotificationPreference


def inbox(user: User) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first (the partial index `notification_inbox`)."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).only(
        "pk", "kind", "title", "body", "link", "read_at", "created_at", "user_id", "channel"
    )


def unread_count(user: User) -> int:
    """One COUNT over the partial index of unread in-app rows."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).count()


def preference_rows(user: User) -> list[tuple[str, str, str]]:
    """(kind, label, current delivery) for every kind the user may choose."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [(kind.code, kind.label, chosen.get(kind.code, kind.default)) for kind in kinds.choosable()]

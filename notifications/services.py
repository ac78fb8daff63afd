"""Writing notifications: `notify` and `notify_each`, the interface every app that tells people uses.

`notify` runs inside the caller's transaction, so a notification exists exactly when the event
that caused it does: a rolled-back event leaves none, and nothing is enqueued for it. Email rows
are handed to the delivery task after commit (notifications.delivery.enqueue_after_commit).
"""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from notifications import kinds
from notifications.delivery import enqueue_after_commit
from notifications.kinds import Delivery, channels_for
from notifications.message import Message
from notifications.models import Channel, Notification, NotificationPreference, Status
from references.models import Contact
from requests_app.models import ReferenceRequest, RequestEvent


def deliveries_for(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's delivery choice for `kind` (their preference, or the kind's default)."""
    users = list(users)
    if not users:
        return {}
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind).values_list("user_id", "delivery")
    )
    default = kinds.kind(kind).default
    return {user.pk: chosen.get(user.pk, default) for user in users}


def _user_rows(
    users: list[User], kind: str, now, deliveries: dict[int, str] | None = None
) -> list[Notification]:
    rows = []
    if deliveries is None:
        deliveries = deliveries_for(users, kind)
    for user in users:
        for channel in channels_for(deliveries[user.pk]):
            if channel == Channel.IN_APP:
                status, sent_at = Status.SENT, now  # delivered by being there
            elif not user.email:
                status, sent_at = Status.SKIPPED, None
            else:
                digest = deliveries[user.pk] == Delivery.DIGEST
                status, sent_at = (Status.HELD if digest else Status.PENDING), None
            rows.append(
                Notification(user=user, channel=channel, email=user.email, status=status, sent_at=sent_at)
            )
    return rows


def _unique(items: Iterable, actor: User | None) -> list:
    seen, result = set(), []
    for item in items:
        if item is None or item.pk in seen or (actor is not None and item == actor):
            continue
        if isinstance(item, User) and not item.is_active:
            continue
        seen.add(item.pk)
        result.append(item)
    return result


def notify(
    *,
    kind: str,
    key: str,
    message: Message,
    users: Iterable[User] = (),
    contacts: Iterable[Contact] = (),
    actor: User | None = None,
    event: RequestEvent | None = None,
    request: ReferenceRequest | None = None,
) -> int:
    """Write one notification per recipient and channel for the event named by `key`.

    Staff users get the channels of their preference for `kind`; contacts get email. The actor
    (who caused the event) is not told about it. A key already written for a recipient and
    channel is skipped by the database's unique constraints, so calling this twice for one event
    is harmless. Email rows are enqueued for delivery after the transaction commits. Returns the
    number of rows the call tried to write.
    """
    kinds.kind(kind)  # an unregistered kind is a programming error, refused before writing
    now = timezone.now()
    rows = _user_rows(_unique(users, actor), kind, now)
    rows += [
        Notification(contact=contact, channel=Channel.EMAIL, email=contact.email, status=Status.PENDING)
        for contact in _unique(contacts, None)
    ]
    for row in rows:
        row.event, row.request = event, request
        _fill(row, kind=kind, key=key, message=message)
    return _write(rows, key)


def notify_each(*, kind: str, key: str, messages: Iterable[tuple[Message, Iterable[User]]]) -> int:
    """`notify` for an event that tells each recipient something of their own (a run's summaries):
    one read of the preferences and one insert, whatever the number of recipients."""
    messages = [(message, _unique(users, None)) for message, users in messages]
    everyone = _unique((user for _, users in messages for user in users), None)
    deliveries = deliveries_for(everyone, kind)
    now, rows = timezone.now(), []
    for message, users in messages:
        for row in _user_rows(users, kind, now, deliveries):
            rows.append(_fill(row, kind=kind, key=key, message=message))
    return _write(rows, key)


def _fill(row: Notification, *, kind: str, key: str, message: Message) -> Notification:
    row.key, row.kind = key, kind
    row.title, row.body, row.link = message.title[:300], message.body, message.link[:500]
    return row


def _write(rows: list[Notification], key: str) -> int:
    """Insert the rows (a key already written for a recipient and channel is skipped) and hand
    the email rows to delivery after commit. Returns the number of rows tried."""
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.status == Status.PENDING for row in rows):
        enqueue_after_commit(key)
    return len(rows)


# --- Reading and preferences ---------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's in-app notifications read (or all of them when no id is given)."""
    unread = Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, str]) -> None:
    """Store the user's delivery choice per kind; a choice equal to the default stores nothing."""
    NotificationPreference.objects.filter(user=user, kind__in=choices).delete()
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, delivery=delivery)
            for kind, delivery in choices.items()
            if delivery != kinds.kind(kind).default
        ]
    )

"""Delivering email notifications: enqueue after commit, claim, send outside transactions, retry.

Exactly-once in layers (healthchecks' `sendalerts`, paperless' tasks):
- a row is claimed by a conditional UPDATE (pending → sending) before anything is sent, so a
  duplicated or redelivered message finds nothing to do;
- the email is sent outside any database transaction, and the row marked sent right after,
  through a lost database connection (reconnect and repeat the update);
- a transient failure (SMTP trouble, or the database or the cache failing while the email is
  written) puts the row back to pending with the time of the next attempt (the task retries
  with backoff); a permanent one (a refusal, a bug), or too many attempts, marks it failed with
  the error, visible in the admin;
- the sweeper re-enqueues pending rows whose message was lost (Redis down at commit time, a
  worker killed) and releases rows claimed by a worker that died mid-send.
Duplicates left (at least once, never zero times), each re-sent with the same Message-ID
(notifications.emails.message_id) so a mail system can recognise it: a worker dying between the
mail server accepting a message and the row being marked sent; the database unreachable for
longer than that retry allows (MARK_SENT_WITHIN) right then; the mail server's reply to an
accepted message lost (a transient error, so the message is tried again).
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.cache import CACHE_ERRORS
from notifications import kinds
from notifications.emails import build_email
from notifications.kinds import Delivery, channels_for
from notifications.models import Channel, Notification, NotificationPreference, Status
from notifications.publishing import publish
from references.statuses import ReferenceStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Marking a sent row is retried until this many seconds after the attempt began: 10 s before the
# delivery task's soft time limit (60 s); the mail server has EMAIL_TIMEOUT (20 s) to answer.
MARK_SENT_WITHIN = 50
DELIVER_TASK = "notifications.deliver"


def retry_delay(attempts: int) -> int:
    """Seconds before attempt `attempts + 1`: 30 s doubling, at most 10 minutes (under the
    broker's visibility timeout, so a waiting retry is never redelivered early)."""
    return min(600, 30 * 2 ** max(0, attempts - 1))


# --- Enqueueing ----------------------------------------------------------------------------


def enqueue(notification_ids: list[int]) -> int:
    """Publish one delivery message per id; returns how many were published.

    A broker that cannot be reached must not hold up the web request that caused the
    notification: publishing gives up within a fraction of a second (notifications.publishing)
    and the rows stay pending for the sweeper.
    """
    return publish(DELIVER_TASK, [[notification_id] for notification_id in notification_ids])


def _enqueue_pending(key: str) -> None:
    ids = list(
        Notification.objects.filter(key=key, channel=Channel.EMAIL, status=Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    enqueue(ids)


def enqueue_after_commit(key: str) -> None:
    """After the current transaction commits, enqueue the pending email rows of event `key`."""
    transaction.on_commit(partial(_enqueue_pending, key), robust=True)


# --- Delivering one notification -----------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    outcome: str  # sent, skipped, held, retry, failed, not_pending
    retry_in: int | None = None


def _claim(notification_id: int, now: datetime) -> bool:
    return bool(
        Notification.objects.filter(pk=notification_id, channel=Channel.EMAIL, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, next_attempt_at=None
        )
    )


def _finish(notification: Notification, status: str, **fields) -> None:
    """Leave the claimed state; only the claimer (status still sending) may."""
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(status=status, **fields)


def _address_and_obstacle(notification: Notification) -> tuple[str, str | None]:
    """Where to send it now, and why not to (None: go ahead). Held rows wait for the digest."""
    if notification.contact_id:
        contact = notification.contact
        preferences = getattr(contact, "preferences", None)
        if preferences is not None and preferences.opted_out:
            return "", "The contact has opted out of the reference program."
        if contact.status == ReferenceStatus.RETIRED:  # an erased contact is retired too
            return "", "The contact is retired."
        return contact.email, None if contact.email else "The contact has no email address."
    user = notification.user
    if not user.is_active:
        return "", "The user is no longer active."
    chosen = NotificationPreference.objects.filter(user=user, kind=notification.kind).first()
    delivery = chosen.delivery if chosen else kinds.default_for(notification.kind)
    if delivery == Delivery.DIGEST and notification.kind != kinds.DAILY_DIGEST.code:
        return "", Status.HELD
    if Channel.EMAIL not in channels_for(delivery):
        return "", "The user no longer wants this kind of notification by email."
    return user.email, None if user.email else "The user has no email address."


def is_transient(error: Exception) -> bool:
    """Worth trying again later: connection trouble, SMTP 4xx answers, and our own infrastructure
    failing while the email is written (the database, the cache). A bug (a template error) is not."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPException):
        return False  # the server understood and refused (e.g. a feature it lacks)
    # Refused connections, timeouts, name resolution; a database or cache error while writing it.
    # (Other database errors, a missing column say, are bugs: failed at once.)
    return isinstance(error, (OSError, OperationalError, InterfaceError, *CACHE_ERRORS))


def notification_deliver(*, notification_id: int) -> DeliveryResult:
    """Send one email notification at most once; run outside any transaction.

    Returns what happened; `retry` carries the delay before the next attempt.
    """
    if not transaction.get_autocommit():
        raise RuntimeError("Email is sent outside database transactions.")
    began = time.monotonic()
    now = timezone.now()
    if not _claim(notification_id, now):
        return DeliveryResult("not_pending")
    notification = Notification.objects.select_related("user", "contact__preferences", "request").get(
        pk=notification_id
    )
    address, obstacle = _address_and_obstacle(notification)
    if obstacle == Status.HELD:
        _finish(notification, Status.HELD)
        return DeliveryResult("held")
    if obstacle:
        _finish(notification, Status.SKIPPED, last_error=obstacle)
        return DeliveryResult("skipped")
    try:
        build_email(notification, address).send()
    except Exception as error:  # classified below: transient → retry, anything else → failed
        return _failed(notification, error)
    _mark_sent(notification, address, deadline=began + MARK_SENT_WITHIN)
    return DeliveryResult("sent")


def _mark_sent(notification: Notification, address: str, *, deadline: float) -> None:
    """Record that the mail server took the message, through a lost database connection.

    Left `sending`, the row would be sent again by the sweeper; the update is repeatable (it only
    moves a row that is still sending), so on a connection error it reconnects and tries again
    until `deadline` (monotonic): a restart or fail-over of the database fits in that.
    """
    sent_at = timezone.now()
    pause = 0.1
    while True:
        try:
            _finish(notification, Status.SENT, sent_at=sent_at, email=address, last_error="")
            return
        except (OperationalError, InterfaceError) as error:
            if time.monotonic() + pause > deadline:
                raise
            logger.warning("Notification %s sent; marking it so failed (%s); again.", notification.pk, error)
            connection.close()  # the next query opens a new connection
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _failed(notification: Notification, error: Exception) -> DeliveryResult:
    text = f"{type(error).__name__}: {error}"[:2000]
    attempts = notification.attempts
    if isinstance(error, OperationalError | InterfaceError):
        connection.close_if_unusable_or_obsolete()  # a lost connection: recording this opens a new one
    if is_transient(error) and attempts < MAX_ATTEMPTS:
        delay = retry_delay(attempts)
        _finish(
            notification,
            Status.PENDING,
            last_error=f"Attempt {attempts}: {text}",
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.info("Notification %s: transient failure, retry in %ss: %s", notification.pk, delay, text)
        return DeliveryResult("retry", retry_in=delay)
    _finish(notification, Status.FAILED, last_error=f"Attempt {attempts}, gave up: {text}")
    logger.error("Notification %s failed for good: %s", notification.pk, text)
    return DeliveryResult("failed")


# --- The sweeper ---------------------------------------------------------------------------


@dataclass
class SweepResult:
    released: int = 0
    given_up: int = 0
    enqueued: int = 0


def notifications_sweep(*, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Re-enqueue email rows whose message was lost, and release claims of dead workers.

    A row counts as lost when its last message was due more than NOTIFICATION_SWEEP_GRACE
    seconds ago and it is still pending; a claim is dead after NOTIFICATION_CLAIM_TIMEOUT
    seconds (longer than the delivery task's hard time limit, so a live send is never taken
    over). Re-enqueued rows are stamped, so the next sweep waits for them again.
    """
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE)
    dead = Notification.objects.filter(
        status=Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT),
    )
    result = SweepResult()
    result.given_up = dead.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, last_error="Gave up: the worker sending it stopped, too many times."
    )
    result.released = dead.update(status=Status.PENDING, claimed_at=None)
    lost = Notification.objects.filter(channel=Channel.EMAIL, status=Status.PENDING).filter(
        Q(next_attempt_at__isnull=True, created_at__lt=grace) | Q(next_attempt_at__lt=grace)
    )
    ids = list(lost.order_by("created_at", "pk").values_list("pk", flat=True)[:batch])
    if ids:
        result.enqueued = enqueue(ids)
        stamped = ids[: result.enqueued]
        Notification.objects.filter(pk__in=stamped, status=Status.PENDING).update(next_attempt_at=now)
    return result

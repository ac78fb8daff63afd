"""Delivering email: claimed once, sent outside transactions, retried when the failure is
transient and recorded when it is not; the sweeper picks up what was lost."""

import logging
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.core import mail
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.template import TemplateSyntaxError
from django.utils import timezone

from notifications.delivery import (
    MAX_ATTEMPTS,
    SweepResult,
    is_transient,
    notification_deliver,
    notifications_sweep,
)
from notifications.message import Message
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from references.models import ParticipationPreferences
from tests.builders import catalogue as factories
from tests.notifications.conftest import celery_broker, queued
from tests.notifications.faults import admin_connection
from workflows.models import StaffCalendar

# Delivery runs outside any transaction, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _email_for(user, key="weekly:1", kind="weekly_digest", **message) -> Notification:
    notify(kind=kind, key=key, users=[user], message=Message(message.pop("title", "The week"), **message))
    return Notification.objects.get(key=key, user=user, channel="email")


def test_a_delivery_task_run_twice_sends_one_email(manager):
    email = _email_for(manager, title="Request #7 approved", body="Go ahead.", link="/manage/requests/7/")

    first = notification_deliver(notification_id=email.pk)
    second = notification_deliver(notification_id=email.pk)

    assert (first.outcome, second.outcome) == ("sent", "not_pending")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [manager.email] and sent.subject == "[RMS] Request #7 approved"
    assert "http://127.0.0.1:8000/manage/requests/7/" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and 'href="http://127.0.0.1:8000/manage/requests/7/"' in html
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1) and email.sent_at is not None


def test_a_missing_notification_is_nothing_to_do(db):
    assert notification_deliver(notification_id=123456).outcome == "not_pending"


def test_a_transient_smtp_failure_is_retried_with_backoff_then_recorded(manager, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DisconnectingBackend"
    email = _email_for(manager)

    delays = []
    for _attempt in range(MAX_ATTEMPTS - 1):
        result = notification_deliver(notification_id=email.pk)
        assert result.outcome == "retry"
        delays.append(result.retry_in)
        email.refresh_from_db()
        assert email.status == "pending" and email.next_attempt_at > timezone.now()
    last = notification_deliver(notification_id=email.pk)

    assert delays == [30, 60, 120, 240]
    assert last.outcome == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", MAX_ATTEMPTS)
    assert "gave up" in email.last_error and "SMTPServerDisconnected" in email.last_error
    assert mail.outbox == []


def test_a_busy_server_gets_the_email_on_a_later_attempt(manager, settings):
    from tests.notifications.backends import BusyBackend

    BusyBackend.calls = 0
    settings.EMAIL_BACKEND = "tests.notifications.backends.BusyBackend"
    email = _email_for(manager)

    outcomes = [notification_deliver(notification_id=email.pk).outcome for _ in range(3)]

    assert outcomes == ["retry", "retry", "sent"]
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 3


def test_a_refused_recipient_is_recorded_at_once(manager, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    email = _email_for(manager)

    assert notification_deliver(notification_id=email.pk).outcome == "failed"

    email.refresh_from_db()
    assert email.status == "failed" and "550" in email.last_error


def test_a_contact_who_opts_out_after_the_event_is_not_emailed(customer_contact):
    notify(
        kind="customer_asked",
        key="event:1:customer_asked",
        contacts=[customer_contact],
        message=Message("Ask"),
    )
    email = Notification.objects.get(contact=customer_contact)
    ParticipationPreferences.objects.filter(contact=customer_contact).update(
        opted_out=True, opted_out_at=timezone.now()
    )

    assert notification_deliver(notification_id=email.pk).outcome == "skipped"

    email.refresh_from_db()
    assert email.status == "skipped" and "opted out" in email.last_error
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("delivery", "outcome"), [("in_app", "skipped"), ("none", "skipped"), ("digest", "held")]
)
def test_a_preference_changed_after_the_event_is_respected(manager, delivery, outcome):
    email = _email_for(manager)
    NotificationPreference.objects.create(user=manager, kind="weekly_digest", delivery=delivery)

    assert notification_deliver(notification_id=email.pk).outcome == outcome
    assert mail.outbox == []


def test_an_inactive_user_is_not_emailed(manager):
    email = _email_for(manager)
    manager.is_active = False
    manager.save()

    assert notification_deliver(notification_id=email.pk).outcome == "skipped"


def test_the_sweeper_re_enqueues_lost_messages_once_per_grace_period(manager, memory_broker, settings):
    email = _email_for(manager)
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE + 1)

    assert notifications_sweep(now=timezone.now()).enqueued == 0  # too fresh: its message may still come
    assert notifications_sweep(now=later).enqueued == 1
    assert notifications_sweep(now=later).enqueued == 0  # stamped: the next sweep waits again
    # The message sent after commit and the sweeper's: the claim lets only one of them send.
    assert queued(memory_broker) == [email.pk, email.pk]
    outcomes = [notification_deliver(notification_id=email.pk).outcome for _message in range(2)]
    assert outcomes == ["sent", "not_pending"] and len(mail.outbox) == 1


def test_the_sweeper_leaves_a_retry_until_it_is_due(manager, memory_broker, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DisconnectingBackend"
    email = _email_for(manager)
    retry_in = notification_deliver(notification_id=email.pk).retry_in
    grace = timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE)

    assert notifications_sweep(now=timezone.now() + grace).enqueued == 0
    assert notifications_sweep(now=timezone.now() + grace + timedelta(seconds=retry_in + 1)).enqueued == 1


def test_the_sweeper_takes_back_the_claim_of_a_worker_that_died(manager, memory_broker, settings):
    email = _email_for(manager)
    Notification.objects.filter(pk=email.pk).update(status="sending", claimed_at=timezone.now(), attempts=1)
    after_timeout = timezone.now() + timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT + 1)

    assert notifications_sweep(now=timezone.now()).released == 0  # it may still be sending
    result = notifications_sweep(now=after_timeout)

    assert (result.released, result.enqueued) == (1, 1)
    assert notification_deliver(notification_id=email.pk).outcome == "sent"
    assert len(mail.outbox) == 1


def test_a_claim_that_keeps_dying_is_given_up(manager, memory_broker, settings):
    email = _email_for(manager)
    Notification.objects.filter(pk=email.pk).update(
        status="sending", claimed_at=timezone.now(), attempts=MAX_ATTEMPTS
    )

    notifications_sweep(now=timezone.now() + timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT + 1))

    email.refresh_from_db()
    assert email.status == "failed" and "Gave up" in email.last_error


def test_a_broker_that_is_down_does_not_break_the_event_and_the_sweeper_catches_up(
    manager, memory_broker, settings, caplog, unused_port
):
    caplog.set_level(logging.WARNING, logger="notifications")
    with celery_broker(f"redis://127.0.0.1:{unused_port}/0"):
        email = _email_for(manager)  # committed; the enqueue after commit fails and is logged

    assert "the sweeper will deliver them" in caplog.text
    email.refresh_from_db()
    assert email.status == "pending"
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE + 1)
    assert notifications_sweep(now=later).enqueued == 1
    assert queued(memory_broker) == [email.pk]


def test_a_notification_to_someone_without_an_address_is_not_sent(db):
    nobody = factories.make_user("noaddress", email="")

    notify(kind="weekly_digest", key="weekly:2", users=[nobody], message=Message("Week"))

    assert Notification.objects.get(user=nobody, channel="email").status == "skipped"


def test_two_attempts_at_one_notification_carry_the_same_message_id(manager, settings):
    from tests.notifications.backends import ReplyLostBackend

    ReplyLostBackend.calls = 0
    settings.EMAIL_BACKEND = "tests.notifications.backends.ReplyLostBackend"
    email = _email_for(manager)
    other = _email_for(manager, key="weekly:2")

    # The server took the first attempt but its reply was lost: a transient error, tried again.
    outcomes = [notification_deliver(notification_id=email.pk).outcome for _ in range(2)]
    notification_deliver(notification_id=other.pk)

    assert outcomes == ["retry", "sent"]
    first, second, of_other = (message.message() for message in mail.outbox)
    assert (
        first["Message-ID"] == second["Message-ID"] == f"<notification.{email.pk}.{_stamp(email)}@127.0.0.1>"
    )
    assert of_other["Message-ID"] != first["Message-ID"]
    assert first["X-RMS-Notification"] == second["X-RMS-Notification"] == str(email.pk)


def _stamp(notification: Notification) -> int:
    """Microseconds since 1970 of the row's creation, as the Message-ID writes them."""
    return (notification.created_at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


@pytest.mark.postgres
def test_marking_sent_survives_a_terminated_database_connection(manager, settings, memory_broker):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DatabaseDropsAfterSendBackend"
    email = _email_for(manager)

    result = notification_deliver(notification_id=email.pk)

    assert result.outcome == "sent"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    # Nothing is left for the sweeper to send again, however long it waits.
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT + 1)
    assert notifications_sweep(now=later) == SweepResult(released=0, given_up=0, enqueued=0)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("site_url", "domain"),
    [
        ("https://RMS.Example.com:8443/", "rms.example.com"),
        ("https://bücher.example", "xn--bcher-kva.example"),
        ("https://rms.example.com.", "rms.example.com"),
        ("http://[::1]:8000", "[::1]"),
    ],
)
def test_the_message_id_is_a_plain_address_whatever_the_site_host(manager, settings, site_url, domain):
    settings.SITE_URL = site_url
    email = _email_for(manager)

    notification_deliver(notification_id=email.pk)

    header = mail.outbox[0].message()["Message-ID"]
    assert header == f"<notification.{email.pk}.{_stamp(email)}@{domain}>"


def test_an_email_to_staff_is_sent_while_the_cache_is_down(manager, cache_redis, caplog):
    # The email is written in the user's zone, looked up through the cache, which is not there.
    email = _email_for(manager, title="Request #7 scheduled")
    cache_redis.stop()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        result = notification_deliver(notification_id=email.pk)

    assert result.outcome == "sent"
    assert [sent.subject for sent in mail.outbox] == ["[RMS] Request #7 scheduled"]
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert "Cache unreachable" in caplog.text


@pytest.mark.postgres
def test_a_database_error_while_the_email_is_written_is_tried_again(manager):
    email = _email_for(manager)
    calendars = StaffCalendar._meta.db_table
    # The zone lookup (a cache miss) waits on a table another connection holds locked, until this
    # connection's statement timeout cancels it: a database error while the email is written.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 300")
    try:
        with admin_connection() as admin, admin.transaction():
            admin.execute(f"LOCK TABLE {calendars} IN ACCESS EXCLUSIVE MODE")
            first = notification_deliver(notification_id=email.pk)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
    email.refresh_from_db()
    assert (first.outcome, email.status) == ("retry", "pending")
    assert email.last_error == "Attempt 1: OperationalError: canceling statement due to statement timeout"

    assert notification_deliver(notification_id=email.pk).outcome == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379."), True),
        (redis.exceptions.TimeoutError("Timeout reading from 127.0.0.1:6379"), True),
        (OperationalError("server closed the connection unexpectedly"), True),
        (InterfaceError("connection already closed"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TemplateSyntaxError("Invalid block tag on line 3: 'edn'."), False),
        (KeyError("greeting_name"), False),
        (ProgrammingError('column "greeting" does not exist'), False),
        (smtplib.SMTPDataError(550, b"Rejected"), False),
        (smtplib.SMTPDataError(451, b"Try again later"), True),
    ],
)
def test_infrastructure_failing_is_transient_and_a_bug_is_not(error, transient):
    assert is_transient(error) is transient

"""Email backends that fail like SMTP servers do: stand-ins for the outside world, not our code."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DisconnectingBackend(LocmemBackend):
    """The server drops the connection (transient): nothing is delivered."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class BusyBackend(LocmemBackend):
    """The server answers 451 (try again later) for the first `failures` sends, then delivers."""

    failures = 2
    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPDataError(451, b"Requested action aborted: local error in processing")
        return super().send_messages(email_messages)


class RefusingBackend(LocmemBackend):
    """The server refuses the recipient for good (550)."""

    def send_messages(self, email_messages):
        recipients = {address: (550, b"5.1.1 User unknown") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class SlowFileBackend(FileBackend):
    """Writes to a file like Django's file backend, after SLOW_EMAIL_SECONDS: a slow SMTP server,
    so a test can kill the worker while it is sending. It touches SLOW_EMAIL_STARTED (a path), when
    set, as the message reaches it."""

    def send_messages(self, email_messages):
        if started := os.environ.get("SLOW_EMAIL_STARTED"):
            Path(started).touch()
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "30")))
        return super().send_messages(email_messages)


class ReplyLostBackend(LocmemBackend):
    """The server accepts the first message, then the connection drops before its reply: the sender
    sees a transient error although the message went out (the outbox keeps it)."""

    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        sent = super().send_messages(email_messages)
        if type(self).calls == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return sent


class DatabaseDropsAfterSendBackend(LocmemBackend):
    """The server accepts the message, and meanwhile the database terminates this process's
    connection (a fail-over, an administrator): the update that follows finds it gone."""

    def send_messages(self, email_messages):
        from tests.notifications.faults import terminate_this_connection

        sent = super().send_messages(email_messages)
        terminate_this_connection()
        return sent

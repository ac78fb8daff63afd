"""Email backends that fail like SMTP servers do: stand-ins for the outside world, not our code."""

import smtplib

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

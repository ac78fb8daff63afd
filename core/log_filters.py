"""Logging filters for settings.LOGGING."""

import logging
import re


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403, 404…) is one line: Django logs it with the PermissionDenied or
    Http404 traceback, which says nothing about a bug. Server errors (500) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# A magic link's token is in its path (/portal/link/<token>/ and …/renew/): a log line keeps the
# path but never the token, which would sign anyone reading the logs in as the contact.
_PORTAL_TOKEN = re.compile(r"(/portal/link/)[^/?#\s\"']+")


def redact_portal_tokens(text: str) -> str:
    return _PORTAL_TOKEN.sub(r"\1[token]", text) if "/portal/link/" in text else text


class PortalTokensRedacted(logging.Filter):
    """Replaces the token of a portal link in a record's message (Django's "Forbidden (CSRF …):
    /portal/link/<token>/" and "Gone: …" lines name the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_portal_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

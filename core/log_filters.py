"""Logging filters for settings.LOGGING."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403, 404…) is one line: Django logs it with the PermissionDenied or
    Http404 traceback, which says nothing about a bug. Server errors (500) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True

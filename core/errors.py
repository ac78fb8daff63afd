"""One hierarchy of domain errors raised by services.

Views map them once: to a form error or a message on pages, and to HTTP 400/403/409 in the API
(`api.errors.domain_exception_handler`).
"""


class DomainError(Exception):
    """A rule of the domain refused the operation; the message is safe to show the user."""

    http_status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The input breaks a rule (a past date, an unknown choice…); `field` names it when known."""


class NeedsConfirmation(InvalidInput):
    """Plausible but probably a mistake (a call after the deal closes): refused until the same
    input comes back with `confirm` (the name of a yes/no input) set. Pages show the warning with
    a button that sends it; the API answers 400 naming the field, and `confirm` in the body."""

    def __init__(self, message: str, *, field: str | None = None, confirm: str):
        super().__init__(message, field=field)
        self.confirm = confirm


class NotAllowed(DomainError):
    """The user may not do this to this object."""

    http_status = 403


class Conflict(DomainError):
    """The object changed under the user (someone else acted first) or the action no longer fits."""

    http_status = 409

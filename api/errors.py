"""Domain errors (core.errors) become 400/403/409 in the API, with the field named."""

from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError


def domain_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field:
            body[exc.field] = [exc.message]
        if confirm := getattr(exc, "confirm", None):  # NeedsConfirmation: send it again with this true
            body["confirm"] = confirm
        return Response(body, status=exc.http_status)
    return exception_handler(exc, context)

"""One error body for every failure of the API:

    {"error": {"code": "invalid", "message": "…", "fields": {"needed_by": ["…"]}}}

`code` is a stable word a program can branch on (invalid, not_authenticated,
authentication_failed, permission_denied, not_found, method_not_allowed, not_acceptable,
unsupported_media_type, conflict, throttled, parse_error, server_error); `message` is for
people; `fields` names each field at fault with its messages (an item of a list by its index,
as DRF nests them) and is empty when no field is. Domain errors (core.errors) map to 400/403/409
with the field they name; DRF's own refusals keep their status and headers (`Retry-After` on a
429, `WWW-Authenticate` on a 401).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import Conflict, DomainError, NotAllowed

INVALID_MESSAGE = "The input is not valid: see the fields named."


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(_domain_body(exc), status=exc.http_status)
    response = exception_handler(exc, context)
    if response is None:
        return None  # not ours to describe: Django's 500 handler answers (api_server_error)
    response.data = _drf_body(exc, response.data)
    return response


def _domain_body(exc: DomainError) -> dict:
    code = "invalid"
    if isinstance(exc, Conflict):
        code = "conflict"
    elif isinstance(exc, NotAllowed):
        code = "permission_denied"
    fields = {exc.field: [exc.message]} if exc.field else {}
    extra = {}
    if confirm := getattr(exc, "confirm", None):  # NeedsConfirmation: send it again with this true
        extra["confirm"] = confirm
    return error_body(code, exc.message, fields, **extra)


def _drf_body(exc, data) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        message = _first_message(fields) or INVALID_MESSAGE
        return error_body("invalid", str(message), fields)
    if isinstance(exc, Http404):
        return error_body("not_found", "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return error_body("permission_denied", "You do not have permission to perform this action.")
    code = getattr(exc, "default_code", "error")
    message = data.get("detail", "") if isinstance(data, dict) else str(data)
    return error_body(code, str(message))


def _first_message(errors) -> str | None:
    """The first message in DRF's nested errors, for `message`."""
    if isinstance(errors, dict):
        for value in errors.values():
            if found := _first_message(value):
                return found
    elif isinstance(errors, list):
        for value in errors:
            if found := _first_message(value):
                return found
    elif errors:
        return str(errors)
    return None


def api_not_found(request, exception=None) -> JsonResponse:
    """A path under /api/ that names no endpoint: the API's body, not the pages' 404."""
    return JsonResponse(error_body("not_found", "No endpoint at this address."), status=404)


def api_server_error(request) -> JsonResponse:
    return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)

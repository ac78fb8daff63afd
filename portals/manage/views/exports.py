"""The manager's exports, as CSV or XLSX (`?format=`): the inbox with its filters, the activity
log, and the nominations queue with its filters — each from the page's own form and selector."""

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role
from integrations.exports.selectors import activity_log
from integrations.exports.sheets import HEADERS, activity_rows, nomination_rows, request_rows
from integrations.exports.writer import export_response
from portals.manage.forms import InboxFilterForm
from portals.manage.nomination_forms import QueueFilterForm
from portals.shared.exports import export_format
from workflows import nomination_selectors
from workflows.selectors import inbox_requests

CHUNK = 1000


@role_required(Role.MANAGER)
@require_GET
def requests_export(request: HttpRequest) -> HttpResponseBase:
    form = InboxFilterForm(request.GET or None)
    rows = inbox_requests(filters=form.filters(), user=request.user)
    return export_response(
        header=HEADERS["requests"],
        rows=request_rows(rows.iterator(chunk_size=CHUNK)),
        fmt=export_format(request),
        basename="requests",
    )


@role_required(Role.MANAGER)
@require_GET
def activities_export(request: HttpRequest) -> HttpResponseBase:
    rows = activity_log(user=request.user)
    return export_response(
        header=HEADERS["activities"],
        rows=activity_rows(rows.iterator(chunk_size=CHUNK)),
        fmt=export_format(request),
        basename="activities",
    )


@role_required(Role.MANAGER)
@require_GET
def nominations_export(request: HttpRequest) -> HttpResponseBase:
    form = QueueFilterForm(request.GET)
    rows = nomination_selectors.nomination_queue(user=request.user, filters=form.filters())
    return export_response(
        header=HEADERS["nominations"],
        rows=nomination_rows(rows.iterator(chunk_size=CHUNK)),
        fmt=export_format(request),
        basename="nominations",
    )

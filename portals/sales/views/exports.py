"""The rep's exports: the current search (its cards: never a contact's email or phone) and My
requests, each from the page's own form and selector, as CSV or XLSX (`?format=`)."""

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role
from integrations.exports.sheets import HEADERS, request_rows, search_rows
from integrations.exports.writer import export_response
from matching.forms import SearchForm
from matching.selectors import search_references
from portals.sales.forms import RequestListForm
from portals.sales.views.search import _deal_and_target
from portals.shared.exports import export_format
from requests_app import selectors

SEARCH_PAGE = 100
SEARCH_MAX = 5_000  # the search ranks in memory: an export is a long page, not the catalogue


@role_required(Role.SALES)
@require_GET
def search_export(request: HttpRequest) -> HttpResponseBase:
    form = SearchForm(request.GET)
    form.is_valid()  # as the page: a malformed value is left out of the search
    filters = form.filters()
    _deal, target = _deal_and_target(request, form, filters)
    return export_response(
        header=HEADERS["search"],
        rows=search_rows(_cards(filters, target)),
        fmt=export_format(request),
        basename="references",
    )


def _cards(filters, target) -> Iterator:
    after, written = None, 0
    while written < SEARCH_MAX:
        page = search_references(
            filters=filters, target=target, after=after, page_size=SEARCH_PAGE, with_facets=False
        )
        yield from page.cards[: SEARCH_MAX - written]
        written += len(page.cards)
        if page.next_cursor is None:
            return
        after = page.next_cursor


@role_required(Role.SALES)
@require_GET
def requests_export(request: HttpRequest) -> HttpResponseBase:
    params = RequestListForm(request.GET)
    rows = selectors.my_requests(
        user=request.user,
        group=params.value("group", "all"),
        status=params.value("status", ""),
        opportunity_id=params.value("opportunity"),
        sort=params.value("sort", "recent"),
    )
    return export_response(
        header=HEADERS["requests"],
        # The sheet names the requester and the manager, which the page does not show.
        rows=request_rows(rows.select_related("requester", "assigned_manager").iterator(chunk_size=1000)),
        fmt=export_format(request),
        basename="my-requests",
    )

"""The public customer list: the accounts whose logo or name marketing may show today, derived
live from their permissions; as a page, and as CSV and JSON for the website."""

import csv

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.admin_actions import FORMULA_START
from core.permissions import role_required
from core.roles import Role
from marketing.selectors import customer_list
from portals.shared.paging import paginate

KEEPERS = (Role.MARKETING, Role.MANAGER)
COLUMNS = ("name", "show_logo", "show_name", "industry", "country")


@role_required(*KEEPERS)
@require_GET
def customers(request: HttpRequest) -> HttpResponse:
    page = paginate(request, customer_list(timezone.localdate()), per_page=50)
    return render(request, "portals/content/customers.html", {"page": page, "section": "customers"})


def _cell(text: str) -> str:
    """A spreadsheet would run a cell starting like a formula: quote it."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _rows(today):
    for account in customer_list(today).iterator(chunk_size=2000):
        yield (account.name, account.logo, account.name_drop, account.industry.name, account.country.name)


class _Echo:
    def write(self, value: str) -> str:
        return value


@role_required(*KEEPERS)
@require_GET
def customers_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(COLUMNS)
        for name, logo, name_drop, industry, country in _rows(today):
            yield writer.writerow(
                (
                    _cell(name),
                    "yes" if logo else "no",
                    "yes" if name_drop else "no",
                    _cell(industry),
                    _cell(country),
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customers-{today.isoformat()}.csv"'
    return response


@role_required(*KEEPERS)
@require_GET
def customers_json(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in _rows(today)]
    return JsonResponse({"as_of": today.isoformat(), "customers": rows})

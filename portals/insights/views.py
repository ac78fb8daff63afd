"""The insights pages (reference managers and executives): a section's key figures and tables for
the segment in the filter form, and each table as CSV or XLSX."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role
from integrations.exports.writer import FORMATS, export_response
from portals.insights.forms import InsightFilterForm
from portals.insights.sections import SECTIONS, first_slug

READERS = (Role.MANAGER, Role.EXECUTIVE)


def _section(slug: str | None):
    try:
        return SECTIONS[slug or first_slug()]
    except (KeyError, StopIteration):
        raise Http404("No such insights page.") from None


@role_required(*READERS)
@require_GET
def section_page(request: HttpRequest, section: str | None = None) -> HttpResponse:
    chosen = _section(section)
    form = InsightFilterForm(request.GET or None)
    segment = form.segment()
    view = chosen.build(segment, request.user)
    context = {
        "form": form,
        "segment": segment,
        "section": chosen,
        "sections": SECTIONS.values(),
        "view": view,
        "query": segment.query(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portals/insights/page.html", context, status=status)


@role_required(*READERS)
@require_GET
def table_export(request: HttpRequest, section: str, key: str, fmt: str) -> HttpResponseBase:
    chosen = _section(section)
    if fmt not in FORMATS:
        raise Http404("No such format.")
    form = InsightFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("No such figure for these filters.")
    view = chosen.build(form.segment(), request.user)
    table = next((table for table in view.tables if table.key == key), None)
    if table is None:
        raise Http404("No such table.")
    return export_response(header=table.header, rows=table.export_rows(), fmt=fmt, basename=f"insights-{key}")

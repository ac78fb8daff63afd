"""The insights pages (reference managers and executives): a section's key figures and tables for
the segment in the filter form, and each table as CSV or XLSX."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role, has_role
from integrations.exports.writer import FORMATS, export_response
from portals.insights.forms import InsightFilterForm
from portals.insights.sections import SECTIONS, first_slug

READERS = (Role.MANAGER, Role.EXECUTIVE)


def _section(slug: str | None):
    try:
        return SECTIONS[slug or first_slug()]
    except (KeyError, StopIteration):
        raise Http404("No such insights page.") from None


def _read_filters(request: HttpRequest, chosen) -> tuple[InsightFilterForm, object, dict, bool]:
    """The segment's form, the section's own options form (or None), the options' values (their
    defaults where invalid) and whether every bound form is valid."""
    form = InsightFilterForm(request.GET or None)
    options = chosen.options(request.GET or None) if chosen.options else None
    valid = all(not each.is_bound or each.is_valid() for each in (form, options) if each is not None)
    return form, options, (options.options() if options is not None else {}), valid


@role_required(*READERS)
@require_GET
def section_page(request: HttpRequest, section: str | None = None) -> HttpResponse:
    chosen = _section(section)
    form, options, values, valid = _read_filters(request, chosen)
    segment = form.segment()
    view = chosen.build(segment, request.user, **values)
    context = {
        "form": form,
        "options": options,
        "segment": segment,
        "section": chosen,
        "sections": SECTIONS.values(),
        "view": view,
        "query": segment.query(**values),
        "may_recompute": has_role(request.user, Role.MANAGER),
    }
    return render(request, "portals/insights/page.html", context, status=200 if valid else 400)


@role_required(*READERS)
@require_GET
def table_export(request: HttpRequest, section: str, key: str, fmt: str) -> HttpResponseBase:
    chosen = _section(section)
    if fmt not in FORMATS:
        raise Http404("No such format.")
    form, _, values, valid = _read_filters(request, chosen)
    if not valid:
        raise Http404("No such figure for these filters.")
    view = chosen.build(form.segment(), request.user, **values)
    table = next((table for table in view.tables if table.key == key), None)
    if table is None:
        raise Http404("No such table.")
    return export_response(header=table.header, rows=table.export_rows(), fmt=fmt, basename=f"insights-{key}")

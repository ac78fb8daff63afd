"""Admin actions and changelist helpers shared by several ModelAdmins.

`export_as_csv` streams the selected rows. Columns are `ModelAdmin.csv_fields` when set, otherwise
every concrete field; foreign keys are written as the related object's name and many-to-many fields
as a "; "-joined list, both loaded up front so the export runs a fixed number of queries.
Secret-like fields (passwords, tokens, keys, verification codes) are never written, even if listed,
and neither is any field the ModelAdmin withholds from the user (`withheld_fields(request)`, such as a
contact's email and phone for someone who may not see them). The rows are those the action is given:
the changelist's own queryset, so an export never holds a row the user's changelist would not show.
"""

import csv
import re
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

SECRET_LIKE = re.compile(r"password|secret|token|api_?key|_key$|^key$|hash|salt|otp|verification", re.I)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK = 2000


class ReadOnlyAdminMixin:
    """For a ModelAdmin or inline of rows nobody may add, edit or delete by hand (immutable history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def is_secret_like(name: str) -> bool:
    return bool(SECRET_LIKE.search(name))


def export_fields(modeladmin: admin.ModelAdmin, request: HttpRequest) -> list[models.Field]:
    """The model fields one export writes for `request.user`, in order, with secret-like and
    withheld ones dropped."""
    opts = modeladmin.model._meta
    names = getattr(modeladmin, "csv_fields", None)
    fields = [opts.get_field(name) for name in names] if names else opts.concrete_fields
    withheld_fields = getattr(modeladmin, "withheld_fields", None)
    withheld = withheld_fields(request) if withheld_fields else set()
    return [
        f
        for f in fields
        if f.name not in withheld and not is_secret_like(f.name) and not is_secret_like(f.attname)
    ]


def _cell(obj: models.Model, field: models.Field) -> object:
    if field.many_to_many:
        return "; ".join(str(related) for related in getattr(obj, field.name).all())
    if field.is_relation:
        related = getattr(obj, field.name)
        return "" if related is None else str(related)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.attname)
    return "" if value is None else value


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _rows(queryset: models.QuerySet, fields: list[models.Field]) -> Iterator[list[object]]:
    yield [str(f.verbose_name) for f in fields]
    for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield [_safe(_cell(obj, f)) for f in fields]


def _loaded(queryset: models.QuerySet, fields: Iterable[models.Field]) -> models.QuerySet:
    fields = list(fields)
    foreign = [f.name for f in fields if f.is_relation and not f.many_to_many]
    many = [f.name for f in fields if f.many_to_many]
    # The admin's own ordering and annotations are kept; only the joins the columns need are added.
    return queryset.select_related(*foreign).prefetch_related(*many)


@admin.action(description="Export selected as CSV", permissions=["view"])
def export_as_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> StreamingHttpResponse:
    """Stream the selected rows as CSV, one line per object, header first."""
    fields = export_fields(modeladmin, request)
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _rows(_loaded(queryset, fields), fields))
    filename = f"{modeladmin.model._meta.model_name}-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

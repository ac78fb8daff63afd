"""What the flows' API views share (tasks, events, nominations, content, campaigns): ordering on
named fields that always ends on the id, so a cursor page is stable whatever a client sorts by."""

import django_filters
from rest_framework.filters import OrderingFilter

from core.dates import validate_sane_date
from core.forms import IdField


class IdLastOrdering(OrderingFilter):
    """`?ordering=<field>` over the view's `ordering_fields`, with the id appended (ascending or
    descending as the first key) so rows that tie keep one order from page to page."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        fields = [field for field in ordering if field.lstrip("-") not in ("id", "pk")]
        if not fields:
            return ordering
        last = "-id" if fields[0].startswith("-") else "id"
        return [*fields, last]


def fake_view(view) -> bool:
    """Whether drf-spectacular is calling the view to build the schema (no signed-in user)."""
    return getattr(view, "swagger_fake_view", False)


class IdFilter(django_filters.NumberFilter):
    """One id (`core.forms.IdField`): "1.5", "²" or 2**40 is a 400 naming the parameter."""

    field_class = IdField


def sane_datetime_filter(field_name: str, lookup_expr: str) -> django_filters.IsoDateTimeFilter:
    """An ISO 8601 time, in the years RMS takes (`core.dates`)."""
    return django_filters.IsoDateTimeFilter(
        field_name=field_name, lookup_expr=lookup_expr, validators=[validate_sane_date]
    )


def sane_date_filter(field_name: str, lookup_expr: str) -> django_filters.DateFilter:
    """A day (YYYY-MM-DD), in the years RMS takes."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, validators=[validate_sane_date]
    )

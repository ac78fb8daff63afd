"""What the flows' API views share (tasks, events, nominations, content, campaigns): one-id and
sane-date filters. Ordering and pages are the program's (`api.views.program_common`)."""

import django_filters

from core.dates import validate_sane_date
from core.forms import IdField


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

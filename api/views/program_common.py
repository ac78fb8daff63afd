"""What the program's read endpoints share: facet filters by ids (as the portal's facets take
them), ordering on named keys with the id last, and cursor pages of up to 200 rows.

A list orders by one named key (`?ordering=name` or `-name`) and then by id, so the cursor's
position is exact. A nullable column (a customer's "customer since") is ordered through a
non-null key the view annotates: DRF's cursor cannot page over NULLs.
"""

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from api.pagination import CheckedCursorPagination
from core.forms import IdsField

MAX_IDS = 50  # ids one facet takes at once (the portal's menus list fewer)


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdsFilter(django_filters.Filter):
    """Any of several ids (a repeated parameter: `?industry=3&industry=7`); a value that is not an
    id is a 400 naming the parameter. `distinct` for a many-to-many relation."""

    field_class = IdsField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)
        self.extra.setdefault("limit", MAX_IDS)


@extend_schema_field(OpenApiTypes.STR)
class WordsFilter(django_filters.CharFilter):
    """Words to find in a name, at most 100 characters (a longer text is a 400)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "icontains")
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)


class NamedOrdering(OrderingFilter):
    """`?ordering=<key>` or `-<key>` among the view's `orderings` ({key: field}); the view's
    `default_ordering` otherwise. The id comes last, in the same direction. An unknown key is
    ignored (the default order), as DRF's ordering does."""

    def get_ordering(self, request, queryset, view) -> tuple[str, str]:
        asked = request.query_params.get(self.ordering_param, "").strip()
        key = asked.lstrip("-")
        if key not in view.orderings:
            asked = view.default_ordering
            key = asked.lstrip("-")
        sign = "-" if asked.startswith("-") else ""
        return (f"{sign}{view.orderings[key]}", f"{sign}id")

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view) -> list[dict]:
        keys = list(view.orderings)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Order by one of these (a leading - for descending); default "
                f"{view.default_ordering}.",
                "schema": {"type": "string", "enum": [*keys, *(f"-{key}" for key in keys)]},
            }
        ]


class ProgramPages(CheckedCursorPagination):
    """Cursor pages: `?limit=` up to 200 (50 by default); `next`/`previous` links carry the cursor."""

    page_size = 50
    page_size_query_description = "Rows per page: 50 unless asked, at most 200 (more is capped)."
    ordering = ("id",)  # replaced by the view's NamedOrdering


FILTER_BACKENDS = [DjangoFilterBackend, NamedOrdering]

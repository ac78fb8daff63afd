"""Cursor paging for every API list: a cursor a client made up is a 404 "Invalid cursor", as
DRF answers for a cursor it cannot decode — never a database error.

DRF decodes the cursor's position as text and filters the ordering field by it (`due_at >
position`); text that is not a value of that field failed inside the query, a 500.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class CheckedCursorPagination(CursorPagination):
    # `?limit=` picks the page size, up to MAX; more is capped, not refused.
    page_size_query_param = "limit"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        self.annotations = dict(queryset.query.annotations)
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not self._valid(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def _valid(self, position: str) -> bool:
        """Whether `position` is a value of the ordering field the database would take."""
        name = self.ordering[0].lstrip("-")
        # A list may order by a non-null key it annotates (a nullable column coalesced).
        named = self.annotations.get(name)
        field = named.output_field if named is not None else self.model._meta.get_field(name)
        if "\x00" in position:
            return False
        try:
            value = field.to_python(position)
            if isinstance(value, datetime) and timezone.is_naive(value):
                return False  # DRF writes aware times; a naive one was made up
            field.get_db_prep_value(value, connection, prepared=False)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        return True

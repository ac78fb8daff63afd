"""Query expressions shared by list pages, exports and admin changelists."""

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(model: type[models.Model], field: str, **filters) -> Coalesce:
    """An annotation counting the `model` rows (matching `filters`) whose `field` points at the
    outer row.

    A correlated subquery rather than Count() over a join: it adds no GROUP BY, so a list's
    COUNT(*) and its filters stay plain queries on the listed table, and the count is computed for
    the shown page only.
    """
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)

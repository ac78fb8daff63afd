"""Aggregates the ORM lacks: percentiles computed by the database.

PostgreSQL has `percentile_cont(f) WITHIN GROUP (ORDER BY x)`; SQLite (the development database)
gets the same linear interpolation as an aggregate registered on each new connection. Both give
the same number for the same rows.
"""

import math

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField

SQLITE_PERCENTILE = "rms_percentile_cont"


class Percentile(Aggregate):
    """The `fraction` percentile (0 ≤ fraction ≤ 1) of `expression`, interpolated as
    percentile_cont does; NULL over no rows."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction lies between 0 and 1.")
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function=SQLITE_PERCENTILE,
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra_context,
        )


class _PercentileCont:
    """SQLite's side: collects the group's values and interpolates between the two nearest ranks."""

    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(float(value))
            self.fraction = float(fraction)

    def finalize(self):
        if not self.values:
            return None
        values = sorted(self.values)
        position = self.fraction * (len(values) - 1)
        low, high = math.floor(position), math.ceil(position)
        return values[low] + (values[high] - values[low]) * (position - low)


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_PERCENTILE, 2, _PercentileCont)


def register_sqlite_aggregates() -> None:
    connection_created.connect(_register, dispatch_uid="insights-sqlite-percentile")

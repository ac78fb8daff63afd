"""The few SQL spellings that differ between PostgreSQL and SQLite, in one place.

Set-based jobs and search build their statements from these, so the rest of the code never asks
which database it runs on. PostgreSQL gets the real thing; SQLite (a development database) a
simple, correct equivalent. Search's own fragments (id arrays, full text) build on this class in
matching/sql.py.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection as default_connection

DAY_ZERO = "2000-01-01"  # day numbers count from here, the same on both databases


@dataclass(frozen=True)
class Dialect:
    vendor: str

    @classmethod
    def current(cls, connection=None):
        """The dialect of `connection` (the default database's when None)."""
        return cls((connection or default_connection).vendor)

    @property
    def is_postgres(self) -> bool:
        return self.vendor == "postgresql"

    # --- tables and plans -------------------------------------------------------------------

    def temp(self, name: str) -> str:
        """`CREATE TEMP TABLE name AS` (dropped at commit on PostgreSQL); a SELECT follows."""
        if self.is_postgres:
            return f"CREATE TEMP TABLE {name} ON COMMIT DROP AS"
        return f"CREATE TEMP TABLE {name} AS"

    def materialized(self, yes: bool) -> str:
        """The CTE hint: PostgreSQL inlines single-use CTEs, so say what we mean."""
        if not self.is_postgres:
            return ""
        return "MATERIALIZED" if yes else "NOT MATERIALIZED"

    def fence(self) -> str:
        """Ends a subquery PostgreSQL must not merge into the outer query."""
        return "OFFSET 0" if self.is_postgres else ""

    def in_rows(self, column: str, select: str) -> str:
        """`column` is one of the values `select` returns — a few, looked up by the index of
        `column`. On PostgreSQL an array of them, computed once, so that the index is read
        whichever joins the statement's settings allow (a semi-join could scan the table)."""
        if self.is_postgres:
            return f"{column} = ANY(ARRAY({select}))"
        return f"{column} IN ({select})"

    # --- values -----------------------------------------------------------------------------

    def least(self, *values: str) -> str:
        return f"{'LEAST' if self.is_postgres else 'MIN'}({', '.join(values)})"

    def greatest(self, *values: str) -> str:
        return f"{'GREATEST' if self.is_postgres else 'MAX'}({', '.join(values)})"

    def concat(self, *parts: str) -> str:
        """The parts joined by spaces, a NULL part as empty text."""
        return " || ' ' || ".join(f"COALESCE({part}, '')" for part in parts)

    # --- dates ------------------------------------------------------------------------------

    def day(self, value: date):
        """A date as a statement parameter (SQLite stores dates as ISO text)."""
        return value if self.is_postgres else value.isoformat()

    def plus_days(self, day: str, days: str) -> str:
        if self.is_postgres:
            return f"({day} + {days})"
        return f"date({day}, '+' || ({days}) || ' days')"

    def minus_days(self, day: str, days: str) -> str:
        if self.is_postgres:
            return f"({day} - ({days}))"
        return f"date({day}, '-' || ({days}) || ' days')"

    def latest_day(self, *days: str) -> str:
        """The latest of nullable dates, NULL when all are (GREATEST ignores NULLs; SQLite's MAX does not)."""
        if self.is_postgres:
            return f"GREATEST({', '.join(days)})"
        return f"NULLIF(MAX({', '.join(f'COALESCE({d}, {chr(39) * 2})' for d in days)}), '')"

    def earliest_day(self, *days: str) -> str:
        """The earliest of nullable dates, NULL when all are (LEAST ignores NULLs; SQLite's MIN does not)."""
        if self.is_postgres:
            return f"LEAST({', '.join(days)})"
        never = "'9999-12-31'"
        return f"NULLIF(MIN({', '.join(f'COALESCE({d}, {never})' for d in days)}), {never})"

    def day_number(self, day: str) -> str:
        """Days since 1 January 2000 (the same number on both databases; a 4-byte integer on
        PostgreSQL, whose sums it adds up fastest)."""
        if self.is_postgres:
            return f"({day} - DATE '{DAY_ZERO}')"
        return f"CAST(julianday({day}) - 2451544.5 AS INTEGER)"

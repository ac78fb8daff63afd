"""The index writer's SQL fragments that differ between PostgreSQL and SQLite, on top of
core.dialect: id lists are integer arrays on PostgreSQL and JSON arrays on SQLite.

Searching needs none: it runs in memory (matching/engine.py).
"""

from dataclasses import dataclass

from core.dialect import Dialect


@dataclass(frozen=True)
class SearchDialect(Dialect):
    """core.dialect.Dialect (the generic spellings, and which database) with the id lists'."""

    # --- id lists ---------------------------------------------------------------------------

    def id_list_agg(self, column: str) -> str:
        """Aggregate: the ids of `column` in a group as an id-list value."""
        if self.is_postgres:
            return f"array_agg({column} ORDER BY {column})::integer[]"
        return f"json_group_array({column})"

    def empty_id_list(self) -> str:
        return "'{}'::integer[]" if self.is_postgres else "'[]'"

    def names_of(self, select_sql: str) -> str:
        """The names returned by `select_sql` (one column named `n`) joined by spaces."""
        if self.is_postgres:
            return f"COALESCE((SELECT string_agg(s.n, ' ' ORDER BY s.n) FROM ({select_sql}) s), '')"
        return f"COALESCE((SELECT group_concat(s.n, ' ') FROM ({select_sql}) s), '')"

"""Search's SQL fragments that differ between PostgreSQL and SQLite, on top of core.dialect.

Search and indexing build their statements from these, so the rest of the code never branches on
the database. PostgreSQL gets the real thing (integer arrays with GIN, tsvector full text);
SQLite gets a simple, correct fallback (JSON arrays read with json_each, LIKE per word).
"""

import re
from dataclasses import dataclass

from core.dialect import Dialect

TEXT_CONFIG = "english"
_WORD = re.compile(r"\w[\w'&.-]*", re.UNICODE)


@dataclass(frozen=True)
class SearchDialect(Dialect):
    """core.dialect.Dialect (the generic spellings, and which database) with search's own:
    id lists and full text."""

    # --- id lists ---------------------------------------------------------------------------

    def ids_overlap(self, column: str, ids) -> tuple[str, list]:
        """`column` (an id list) shares at least one id with `ids`."""
        ids = [int(i) for i in ids]
        if self.is_postgres:
            return f"{column} && %s::integer[]", [ids]
        marks = ", ".join(["%s"] * len(ids))
        return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value IN ({marks}))", ids

    def ids_of_rows(self, column: str, relation: str, where: str) -> str:
        """A query giving one row `v` per id in `column` of the rows of `relation` (aliased `b`)
        that satisfy `where`."""
        if self.is_postgres:
            # unnest() in the select list (ProjectSet) is twice as fast as a lateral join.
            return f"SELECT unnest(b.{column}) AS v FROM {relation} b WHERE {where}"
        return f"SELECT j.value AS v FROM {relation} b CROSS JOIN json_each(b.{column}) AS j WHERE {where}"

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

    # --- free text --------------------------------------------------------------------------

    def text_match(self, doc: str, q: str) -> tuple[str, list]:
        """The search document `doc` matches the words of `q` (all of them)."""
        if self.is_postgres:
            return f"{doc}.vector @@ websearch_to_tsquery('{TEXT_CONFIG}', %s)", [q]
        words = words_of(q) or [q.strip()]
        clauses = " AND ".join([f"{doc}.body LIKE %s ESCAPE '\\'"] * len(words))
        return f"({clauses})", [f"%{_escape_like(word)}%" for word in words]

    def text_rank(self, doc: str, q: str) -> tuple[str, list]:
        """Relevance of `doc` to `q` in [0, 1); constant 0 on SQLite (no ranking there)."""
        if self.is_postgres:
            return f"ts_rank({doc}.vector, websearch_to_tsquery('{TEXT_CONFIG}', %s), 32)", [q]
        return "0", []

    def text_vector(self, weighted_parts: list[tuple[str, str]]) -> str:
        """The tsvector of (sql expression, weight) parts; NULL where there is no full text."""
        if not self.is_postgres:
            return "NULL"
        return " || ".join(
            f"setweight(to_tsvector('{TEXT_CONFIG}', COALESCE({expr}, '')), '{weight}')"
            for expr, weight in weighted_parts
        )


def words_of(q: str) -> list[str]:
    return _WORD.findall(q or "")


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""Replace the mentions of an erased contact in free texts: one UPDATE per table, set-based.

On PostgreSQL a mention is a whole word, whatever its case (`regexp_replace` with the
case-insensitive flag between word boundaries), so "Ann" is replaced and "Annual" is not; the
development database (SQLite) replaces the exact spellings (`REPLACE`).
"""

import re

from django.db import connection

from core.dialect import Dialect
from customers.erasure.plan import Mentions, Scope
from customers.erasure.terms import Terms

SQL = tuple[str, list]
_WORD = "[[:alnum:]_]"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _pattern(terms: list[str]) -> str:
    """A PostgreSQL regular expression matching any of `terms` as whole words."""
    alternatives = "|".join(re.escape(term) for term in terms)
    return f"(?<!{_WORD})(?:{alternatives})(?!{_WORD})"


def _replaced(column: str, steps: list[tuple[list[str], str]], dialect: Dialect) -> SQL:
    sql, params = f"t.{_q(column)}", []
    for terms, replacement in steps:
        if dialect.is_postgres:
            sql, params = f"regexp_replace({sql}, %s, %s, 'gi')", [*params, _pattern(terms), replacement]
        else:
            for term in terms:
                sql, params = f"REPLACE({sql}, %s, %s)", [*params, term, replacement]
    return sql, params


def _mentioned(columns: tuple[str, ...], terms: list[str], dialect: Dialect) -> SQL:
    """Whether any of `columns` mentions any of `terms`."""
    if not terms:
        return "FALSE", []
    if dialect.is_postgres:
        pattern = _pattern(terms)
        return "(" + " OR ".join(f"t.{_q(c)} ~* %s" for c in columns) + ")", [pattern] * len(columns)
    tests = [(f"instr(t.{_q(c)}, %s) > 0", [term]) for c in columns for term in terms]
    return "(" + " OR ".join(sql for sql, _ in tests) + ")", [p for _, params in tests for p in params]


def update_statement(target: Mentions, terms: Terms, scope: Scope, dialect: Dialect) -> SQL:
    """The UPDATE replacing `terms` in `target`'s columns: the full name, email and phone in
    every row; a lone first or last name too in the rows near the contact."""
    near_sql, near_params = target.near(scope)
    far_steps, near_steps = terms.steps(near=False), terms.steps(near=True)
    assignments, params = [], []
    for column in target.columns:
        near_expr, near_expr_params = _replaced(column, near_steps, dialect)
        far_expr, far_expr_params = _replaced(column, far_steps, dialect)
        assignments.append(f"{_q(column)} = CASE WHEN {near_sql} THEN {near_expr} ELSE {far_expr} END")
        params += [*near_params, *near_expr_params, *far_expr_params]
    far_terms = [term for step_terms, _ in far_steps for term in step_terms]
    near_terms = [term for step_terms, _ in near_steps for term in step_terms]
    far_match, far_match_params = _mentioned(target.columns, far_terms, dialect)
    near_match, near_match_params = _mentioned(target.columns, near_terms, dialect)
    table = connection.ops.quote_name(target.model._meta.db_table)
    sql = (
        f"UPDATE {table} AS t SET {', '.join(assignments)} WHERE {far_match} OR ({near_sql} AND {near_match})"
    )
    return sql, [*params, *far_match_params, *near_params, *near_match_params]


def mentions_replace(*, terms: Terms, scope: Scope, targets: tuple[Mentions, ...]) -> dict[str, int]:
    """Run the replacement on every target; returns the rows changed per model label."""
    dialect = Dialect.current()
    changed: dict[str, int] = {}
    with connection.cursor() as cursor:
        for target in targets:
            sql, params = update_statement(target, terms, scope, dialect)
            cursor.execute(sql, params)
            changed[target.model._meta.label] = cursor.rowcount
    return changed

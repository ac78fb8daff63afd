"""The SQL of a search page: the ranked page, the facet counts, and what to relax.

Built from the fragments of `matching.sql`, so the same code runs on PostgreSQL and SQLite.
"""

from dataclasses import dataclass, replace

from django.db import connection

from limits.models import ContactUsage
from matching.catalogue import Catalogue
from matching.facets import FACETS, count_member
from matching.filters import Cursor, Filters
from matching.models import FacetCount, ReferenceEntry, SearchDocument
from matching.scoring import Target, score_sql
from matching.sql import SearchDialect

_FACET_BY_KEY = {spec.key: spec for spec in FACETS}


@dataclass(frozen=True)
class Relaxation:
    """How many results there would be without one criterion."""

    key: str  # a facet key, or "q" for the words
    label: str
    count: int


# --- The page (query 2) ---------------------------------------------------------------------

_ENTRY_COLUMNS = (
    "contact_id",
    "account_id",
    "resting",
    "nps",
    "last_activity_on",
    "industry_id",
    "region_id",
    "country_id",
    "size_band_id",
    "persona_id",
    "language",
    "product_ids",
    "use_case_ids",
    "competitor_ids",
    "activity_type_ids",
)


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(ReferenceEntry._meta.db_table), quote(SearchDocument._meta.db_table)


def _conditions(
    dialect: SearchDialect, filters: Filters, alias: str, *, skip: str | None = None
) -> tuple[str, list]:
    """The facet filters (all but `skip`) and contact restrictions on rows of `alias`."""
    clauses, params = [], []
    for spec in filters.active_facets():
        if spec.key == skip:
            continue
        values = getattr(filters, spec.key)
        if spec.many:
            sql, sql_params = dialect.ids_overlap(f"{alias}.{spec.column}", values)
        else:
            sql = f"{alias}.{spec.column} IN ({', '.join(['%s'] * len(values))})"
            sql_params = list(values)
        clauses.append(sql)
        params.extend(sql_params)
    if filters.contacts:
        clauses.append(f"{alias}.contact_id IN ({', '.join(['%s'] * len(filters.contacts))})")
        params.extend(filters.contacts)
    if filters.exclude_contacts:
        clauses.append(f"{alias}.contact_id NOT IN ({', '.join(['%s'] * len(filters.exclude_contacts))})")
        params.extend(filters.exclude_contacts)
    return " AND ".join(clauses) or "1 = 1", params


def _source(dialect: SearchDialect, filters: Filters, *, ranked: bool = False) -> tuple[str, list]:
    """FROM for the index rows `e`; with words, joined to the matching documents `d` (and their
    relevance `d.rank`, computed once per account rather than once per contact)."""
    entries, documents = _tables()
    if not filters.q:
        return f"{entries} e", []
    match, match_params = dialect.text_match("x", filters.q)
    rank, rank_params = dialect.text_rank("x", filters.q) if ranked else ("0", [])
    # Fenced, so PostgreSQL does not merge it into the join and rank each account's document
    # once per contact instead of once.
    matching = f"SELECT x.account_id, {rank} AS rank FROM {documents} x WHERE {match} {dialect.fence()}"
    return f"{entries} e JOIN ({matching}) d ON d.account_id = e.account_id", [*rank_params, *match_params]


def result_rows(
    dialect: SearchDialect,
    filters: Filters,
    target: Target,
    catalogue: Catalogue,
    *,
    after: Cursor | None,
    limit: int,
) -> list[dict]:
    source, source_params = _source(dialect, filters, ranked=True)
    where, where_params = _conditions(dialect, filters, "e")
    scored = score_sql(
        dialect,
        target,
        catalogue.weights,
        alias="e",
        usage="u",
        size_neighbours=catalogue.neighbours("size", target.size_band_id),
        persona_neighbours=catalogue.neighbours("persona", target.persona_id),
        text_rank=("d.rank", []) if filters.q else None,
    )
    # Rank on the narrow key (grades, score, id) of every matching row; read the rest of the
    # row only for the page: sorting wide rows is what makes a broad search slow.
    columns = ", ".join(["e.contact_id", "e.resting", "e.nps", *scored.columns])
    # Availability is the burnout limits' stored usage, joined here (no row: nothing used), so
    # the page shows what the limits job last counted rather than a copy made at indexing time.
    usage = connection.ops.quote_name(ContactUsage._meta.db_table)
    graded = (
        f"SELECT {columns} FROM {source} LEFT JOIN {usage} u ON u.contact_id = e.contact_id WHERE {where}"
    )
    keyset, keyset_params = "", []
    if after is not None:
        keyset = (
            "WHERE s.resting > %s OR (s.resting = %s AND "
            "(s.score < %s OR (s.score = %s AND s.contact_id > %s)))"
        )
        keyset_params = [after.resting, after.resting, after.score, after.score, after.contact_id]
    page = (
        f"SELECT * FROM (SELECT g.*, {scored.score} AS score FROM ({graded}) g) s {keyset} "
        "ORDER BY s.resting, s.score DESC, s.contact_id LIMIT %s"
    )
    entries, _documents = _tables()
    details = ", ".join(f"r.{c}" for c in _ENTRY_COLUMNS if c not in ("contact_id", "resting", "nps"))
    sql = (
        f"SELECT p.*, {details}, COALESCE(v.used, 0) AS usage_used, v.available_from AS usage_available_from "
        f"FROM ({page}) p JOIN {entries} r ON r.contact_id = p.contact_id "
        f"LEFT JOIN {usage} v ON v.contact_id = p.contact_id "
        "ORDER BY p.resting, p.score DESC, p.contact_id"
    )
    params = [*scored.params, *source_params, *where_params, *keyset_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- Facet counts (query 3) -----------------------------------------------------------------


def facet_counts(dialect: SearchDialect, filters: Filters) -> tuple[dict[str, dict[str, int]], int]:
    """Every facet's counts (each without its own filter) and the total, in one statement."""
    source, source_params = _source(dialect, filters)
    restrict, restrict_params = _conditions(dialect, Filters(**_restrictions(filters)), "e")
    facets = _facets_only(filters)
    hits_where, hits_params = _conditions(dialect, facets, "b")
    active = {spec.key for spec in filters.active_facets()}
    # Without words or contact restrictions, a facet no other filter narrows has the whole
    # index's counts, kept in FacetCount: read, not counted.
    whole_index = not (filters.q or filters.contacts or filters.exclude_contacts)
    members, params, counted = [], [], False
    for spec in FACETS:
        others = active - {spec.key}
        if whole_index and not others:
            members.append(_stored_counts(spec.key))
            continue
        counted = True
        if spec.key in active:
            # Counted over `base` with the other facets' filters, its own left out.
            where, where_params = _conditions(dialect, facets, "b", skip=spec.key)
            members.append(count_member(dialect, spec, "base", where))
            params.extend(where_params)
        else:
            members.append(count_member(dialect, spec, "hits", "1 = 1"))
    if whole_index and not active:
        members.append(_stored_counts(FacetCount.TOTAL))
    else:
        members.append(_hits_total())
        counted = True
    sql = " UNION ALL ".join(members)
    if counted:
        # `base`: the rows the words (and contact restrictions) allow; `hits`: those every facet
        # filter allows too, computed once for all the facets nobody filters on and the total.
        narrowed = bool(filters.q or active or filters.contacts)
        sql = (
            f"WITH base AS {dialect.materialized(bool(filters.q))} "
            f"(SELECT e.* FROM {source} WHERE {restrict}), "
            f"hits AS {dialect.materialized(narrowed)} (SELECT b.* FROM base b WHERE {hits_where}) {sql}"
        )
        params = [*source_params, *restrict_params, *hits_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {spec.key: {} for spec in FACETS}
    total = 0
    for facet, value, n in rows:
        if facet == FacetCount.TOTAL:
            total = int(n)
        else:
            counts[facet][str(value)] = int(n)
    return counts, total


def _stored_counts(facet: str) -> str:
    table = connection.ops.quote_name(FacetCount._meta.db_table)
    return f"SELECT facet, CAST(value AS TEXT), count FROM {table} WHERE facet = '{facet}'"


def _hits_total() -> str:
    return f"SELECT '{FacetCount.TOTAL}', CAST(NULL AS TEXT), COUNT(*) FROM hits b"


def _restrictions(filters: Filters) -> dict:
    return {"contacts": filters.contacts, "exclude_contacts": filters.exclude_contacts}


def _facets_only(filters: Filters) -> Filters:
    return replace(filters, q="", contacts=(), exclude_contacts=())


def relaxation_counts(dialect: SearchDialect, filters: Filters) -> list[Relaxation]:
    """Counts with each single criterion dropped, best first, for an empty result."""
    members, params, labels = [], [], {}
    candidates = [spec.key for spec in filters.active_facets()] + (["q"] if filters.q else [])
    for key in candidates:
        relaxed = filters.without(key)
        source, source_params = _source(dialect, relaxed)
        where, where_params = _conditions(dialect, relaxed, "e")
        members.append(f"SELECT '{key}', COUNT(*) FROM {source} WHERE {where}")
        params.extend([*source_params, *where_params])
        labels[key] = _FACET_BY_KEY[key].label if key in _FACET_BY_KEY else f"the words “{filters.q}”"
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(members), params)
        rows = cursor.fetchall()
    found = [Relaxation(key=key, label=labels[key], count=int(n)) for key, n in rows if n]
    return sorted(found, key=lambda r: (-r.count, r.label))

"""Writes to the search index: a full rebuild and an incremental, set-based refresh.

Each write is a handful of INSERT … SELECT statements over the catalogue — never a Python loop
over rows — so a full rebuild of 100,000 accounts takes seconds. Who is offerable is decided here
by `ContactQuerySet.offerable()` itself (compiled into the statement), so the index can never
disagree with the catalogue's definition, only lag it: the periodic refresh
(`search_index_refresh_changed`, every minute from celery beat) picks up every account, contact,
preference and activity changed since its last run. How much of their limits contacts have used is
not indexed: the snapshot takes it from the limits job's narrow table (limits.ContactUsage).
Taxonomy renames reach the index through the nightly `search_index_rebuild`.

Every write ends by publishing the in-memory snapshot the web processes search
(`matching.snapshot.publish_snapshot`), in the same transaction; the periodic refresh publishes
even when no entry changed, so new stored usage reaches the ranking within one refresh.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from core.statistics import analyze
from matching.models import ReferenceEntry, SearchDocument, SearchIndexState
from matching.snapshot import publish_snapshot, usage_changed_since_published
from matching.sql import SearchDialect
from references.models import (
    Account,
    Competitor,
    Contact,
    Country,
    Industry,
    ParticipationPreferences,
    Product,
    ReferenceActivity,
    UseCase,
)
from references.statuses import ReferenceStatus

# The refresh looks back this far before its last start, so a change committed while the
# previous run was reading is never missed.
REFRESH_OVERLAP = timedelta(minutes=5)
_CHUNK = 5000


@dataclass(frozen=True)
class IndexStats:
    documents: int
    entries: int


@transaction.atomic
def search_index_rebuild() -> IndexStats:
    """Rebuild the whole index from the catalogue in one transaction (searches see the old
    index until it commits)."""
    _lock_index()
    _delete(ReferenceEntry)
    _delete(SearchDocument)
    now = timezone.now()
    documents = _insert_documents(scope_sql="", scope_params=[], now=now)
    entries = _insert_entries(account_ids=None, now=now)
    publish_snapshot()
    SearchIndexState.objects.update_or_create(pk=1, defaults={"rebuilt_at": now, "refreshed_from": now})
    return IndexStats(documents=documents, entries=entries)


def analyze_index() -> None:
    """Fresh planner statistics for the index tables after a rebuild rewrote every row."""
    analyze(*apps.get_app_config("matching").get_models(include_auto_created=True))


def search_index_refresh(*, account_ids: Iterable[int] = (), contact_ids: Iterable[int] = ()) -> IndexStats:
    """Re-index the given accounts (with all their contacts) and contacts.

    Rows that are no longer offerable leave the index; new offerable ones join it.
    """
    account_ids = sorted({int(a) for a in account_ids})
    contact_ids = sorted({int(c) for c in contact_ids})
    if contact_ids:
        accounts_of_contacts = Contact.objects.values_list("account_id", flat=True)
        account_ids = sorted(set(account_ids) | _chunked_values(accounts_of_contacts, contact_ids))
    documents = entries = 0
    for start in range(0, len(account_ids), _CHUNK):
        chunk = account_ids[start : start + _CHUNK]
        stats = _refresh_accounts(chunk)
        documents += stats.documents
        entries += stats.entries
    if account_ids:
        with transaction.atomic():
            _lock_index()
            publish_snapshot()
    return IndexStats(documents=documents, entries=entries)


def search_index_refresh_changed(*, now: datetime | None = None) -> IndexStats:
    """Re-index everything changed since the last run (see the module docstring)."""
    now = now or timezone.now()
    state, _created = SearchIndexState.objects.get_or_create(pk=1)
    if state.refreshed_from is None:
        stats = search_index_rebuild()
        return stats
    since = state.refreshed_from - REFRESH_OVERLAP
    account_ids = set(Account.objects.filter(updated_at__gte=since).values_list("id", flat=True))
    contact_ids = set(Contact.objects.filter(updated_at__gte=since).values_list("id", flat=True))
    contact_ids |= set(
        ParticipationPreferences.objects.filter(updated_at__gte=since).values_list("contact_id", flat=True)
    )
    activities = ReferenceActivity.objects.filter(created_at__gte=since)
    contact_ids |= set(activities.values_list("contact_id", flat=True))
    stats = search_index_refresh(account_ids=account_ids, contact_ids=contact_ids)
    if not (account_ids or contact_ids) and usage_changed_since_published():
        with transaction.atomic():  # new stored usage re-ranks: published within one refresh
            _lock_index()
            publish_snapshot()
    SearchIndexState.objects.filter(pk=1).update(refreshed_from=now)
    return stats


# --- internals ------------------------------------------------------------------------------


def _chunked_values(values_qs, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        found |= set(values_qs.filter(pk__in=ids[start : start + _CHUNK]))
    return found


def _lock_index() -> None:
    """Writers of the index take turns: two refreshes deleting and re-inserting the same rows at
    once would collide. (Searches never wait: they read the last committed index.)"""
    SearchIndexState.objects.get_or_create(pk=1)
    SearchIndexState.objects.select_for_update().filter(pk=1).first()


@transaction.atomic
def _refresh_accounts(account_ids: list[int]) -> IndexStats:
    _lock_index()
    marks = ", ".join(["%s"] * len(account_ids))
    _delete(ReferenceEntry, f"account_id IN ({marks})", account_ids)
    _delete(SearchDocument, f"account_id IN ({marks})", account_ids)
    now = timezone.now()
    documents = _insert_documents(scope_sql=f"a.id IN ({marks})", scope_params=account_ids, now=now)
    entries = _insert_entries(account_ids=account_ids, now=now)
    return IndexStats(documents=documents, entries=entries)


def _delete(model, where: str = "", params: list | None = None) -> None:
    """A plain DELETE: the ORM's would load every row to look for cascades we do not have."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table(model)}" + (f" WHERE {where}" if where else ""), params or [])


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _through(field) -> tuple[str, str, str]:
    """(table, source column, target column) of a many-to-many field's join table."""
    through = field.remote_field.through
    return (
        _table(through),
        through._meta.get_field(field.m2m_field_name()).column,
        through._meta.get_field(field.m2m_reverse_field_name()).column,
    )


def _names_sql(dialect: SearchDialect, field, taxonomy, owner: str) -> str:
    table, source, target = _through(field)
    return dialect.names_of(
        f"SELECT t.name AS n FROM {table} x JOIN {_table(taxonomy)} t ON t.id = x.{target} "
        f"WHERE x.{source} = {owner}"
    )


def _usable_accounts_sql() -> tuple[str, list]:
    sql, params = Account.objects.usable_as_reference().order_by().values("id").query.sql_with_params()
    return sql, list(params)


def _offerable_contacts_sql() -> tuple[str, list]:
    sql, params = Contact.objects.offerable().order_by().values("id").query.sql_with_params()
    return sql, list(params)


def _insert_documents(*, scope_sql: str, scope_params: list, now: datetime) -> int:
    dialect = SearchDialect.current()
    products = _names_sql(dialect, Account.products.field, Product, "a.id")
    use_cases = _names_sql(dialect, Account.use_cases.field, UseCase, "a.id")
    competitors = _names_sql(dialect, Account.competitors_displaced.field, Competitor, "a.id")
    tags = dialect.concat("i.name", "co.name", products, use_cases, competitors)
    usable_sql, usable_params = _usable_accounts_sql()
    where = f"a.id IN ({usable_sql})" + (f" AND {scope_sql}" if scope_sql else "")
    sql = (
        f"INSERT INTO {_table(SearchDocument)} (account_id, name, tags, story, indexed_at) "
        f"SELECT a.id, a.name, {tags}, COALESCE(a.reference_story, ''), %s FROM {_table(Account)} a "
        f"JOIN {_table(Industry)} i ON i.id = a.industry_id "
        f"JOIN {_table(Country)} co ON co.id = a.country_id WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *usable_params, *scope_params])
        return cursor.rowcount


def _insert_entries(*, account_ids: list[int] | None, now: datetime) -> int:
    """Insert the entries of the offerable contacts (of `account_ids`, or all).

    Activities and id lists come from grouped subqueries joined once — one pass over each table,
    not one lookup per contact — each restricted to the accounts in scope.
    """
    dialect = SearchDialect.current()
    scope = _Scope(account_ids)
    activity_sql = (
        "SELECT r.contact_id, MAX(r.occurred_on) AS latest "
        f"FROM {_table(ReferenceActivity)} r WHERE {scope.on('r.account_id')} GROUP BY r.contact_id"
    )
    prefs_scope = (
        f"x.participationpreferences_id IN (SELECT p.id FROM {_table(ParticipationPreferences)} p "
        f"JOIN {_table(Contact)} k ON k.id = p.contact_id WHERE {scope.on('k.account_id')})"
    )
    lists = {
        "products": _grouped_ids(dialect, Account.products.field, scope.on("x.account_id")),
        "use_cases": _grouped_ids(dialect, Account.use_cases.field, scope.on("x.account_id")),
        "competitors": _grouped_ids(dialect, Account.competitors_displaced.field, scope.on("x.account_id")),
        "types": _grouped_ids(dialect, ParticipationPreferences.activity_types.field, prefs_scope),
    }
    offerable_sql, offerable_params = _offerable_contacts_sql()
    columns = (
        "contact_id, account_id, industry_id, country_id, region_id, size_band_id, persona_id, language, "
        "nps, resting, own_cap, last_activity_on, product_ids, "
        "use_case_ids, competitor_ids, activity_type_ids, indexed_at"
    )
    empty = dialect.empty_id_list()
    sql = (
        f"INSERT INTO {_table(ReferenceEntry)} ({columns}) "
        "SELECT c.id, c.account_id, a.industry_id, a.country_id, co.region_id, a.size_band_id, "
        "c.persona_id, c.language, a.nps, (c.status = %s OR a.status = %s), "
        "pp.own_cap_per_quarter, act.latest, "
        f"COALESCE(products.ids, {empty}), COALESCE(use_cases.ids, {empty}), "
        f"COALESCE(competitors.ids, {empty}), COALESCE(types.ids, {empty}), %s "
        f"FROM {_table(Contact)} c "
        f"JOIN {_table(ParticipationPreferences)} pp ON pp.contact_id = c.id "
        f"JOIN {_table(Account)} a ON a.id = c.account_id "
        f"JOIN {_table(Country)} co ON co.id = a.country_id "
        # Only accounts that have a search document (usable ones): the entry points at it.
        f"JOIN {_table(SearchDocument)} d ON d.account_id = a.id "
        f"LEFT JOIN ({activity_sql}) act ON act.contact_id = c.id "
        f"LEFT JOIN ({lists['products']}) products ON products.owner = a.id "
        f"LEFT JOIN ({lists['use_cases']}) use_cases ON use_cases.owner = a.id "
        f"LEFT JOIN ({lists['competitors']}) competitors ON competitors.owner = a.id "
        f"LEFT JOIN ({lists['types']}) types ON types.owner = pp.id "
        f"WHERE c.id IN ({offerable_sql}) AND {scope.on('c.account_id')}"
    )
    if scope.full:
        # Stored by industry and region, the filters nearly every search has: a search reads
        # its rows from a few neighbouring pages rather than from all over the table.
        sql += " ORDER BY a.industry_id, co.region_id, c.id"
    # The SELECT's %s (resting twice, the time), then the activity subquery.
    params = [ReferenceStatus.RESTING, ReferenceStatus.RESTING, now, *scope.params]
    params += scope.params * 3 + scope.params  # three account lists, then the preferences scope
    params += [*offerable_params, *scope.params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


class _Scope:
    """`column IN (the accounts in scope)`, or always true for a full rebuild."""

    def __init__(self, account_ids: list[int] | None):
        self.params = list(account_ids) if account_ids is not None else []
        self.full = account_ids is None

    def on(self, column: str) -> str:
        if self.full:
            return "1 = 1"
        return f"{column} IN ({', '.join(['%s'] * len(self.params))})"


def _grouped_ids(dialect: SearchDialect, field, where: str) -> str:
    """`owner, ids` per owner row of a many-to-many field, for the owners in scope."""
    table, source, target = _through(field)
    return (
        f"SELECT x.{source} AS owner, {dialect.id_list_agg(f'x.{target}')} AS ids "
        f"FROM {table} x WHERE {where} GROUP BY x.{source}"
    )

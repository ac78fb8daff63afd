"""Large writes leave fresh planner statistics: `seed_demo`, `rebuild_search_index` and the limits
job's large runs analyze the tables they wrote (with stale figures a rare-word search page took
188 ms instead of 7 ms at 100,000 accounts).

PostgreSQL counts each table's analyses (`pg_stat_user_tables.analyze_count`); SQLite keeps a
table's statistics in `sqlite_stat1`, emptied before the block so what is there was written in it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.statistics import analyze
from limits.models import ContactUsage
from limits.usage import usage_recompute
from matching.models import ReferenceEntry, SearchDocument
from references.models import Account, Contact
from tests.builders import catalogue as factories
from tests.builders.search import make_reference

pytestmark = pytest.mark.django_db

USAGE = ContactUsage._meta.db_table
INDEX_TABLES = {ReferenceEntry._meta.db_table, SearchDocument._meta.db_table}


def _analyses() -> dict[str, int]:
    """Per table, how often it was analyzed (PostgreSQL) or 1 if it has statistics (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # read the counters afresh
            cursor.execute("SELECT relname, analyze_count FROM pg_stat_user_tables")
            return dict(cursor.fetchall())
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return {}
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {table: 1 for (table,) in cursor.fetchall()}


def _forget_sqlite_statistics() -> None:
    if connection.vendor == "sqlite" and _analyses():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")


@contextmanager
def analyzed() -> Iterator[set[str]]:
    """The tables analyzed inside the block (the set is filled when the block ends)."""
    _forget_sqlite_statistics()
    before, tables = _analyses(), set()
    yield tables
    tables.update(table for table, count in _analyses().items() if count > before.get(table, 0))


def _tables_with_rows() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._default_manager.exists()
    }


def _used_to_the_limit(contact, times: int = 4) -> None:
    for days in range(times):
        factories.make_activity(contact, timezone.localdate() - timedelta(days=10 + days))


def test_analyze_refreshes_the_statistics_of_the_tables_named(account_owner):
    factories.make_contact(factories.make_account(account_owner))

    with analyzed() as tables:
        named = analyze(Account, Contact, Account)

    assert named == [Account._meta.db_table, Contact._meta.db_table]
    assert set(named) <= tables


def test_seed_demo_analyzes_every_table_it_filled():
    with analyzed() as tables:
        call_command("seed_demo", accounts=12, stdout=StringIO())

    filled = _tables_with_rows()
    assert {USAGE, *INDEX_TABLES, "requests_app_referencerequest", "auth_user"} <= filled
    assert filled - tables == set()


def test_a_rebuild_of_the_search_index_analyzes_its_tables_and_a_refresh_leaves_them(account_owner):
    make_reference(account_owner)

    with analyzed() as rebuilt:
        call_command("rebuild_search_index", stdout=StringIO())
    make_reference(account_owner, name="Newcomer")
    with analyzed() as refreshed:
        call_command("rebuild_search_index", changed=True, stdout=StringIO())

    assert rebuilt >= INDEX_TABLES
    assert not INDEX_TABLES & refreshed


def test_the_limits_job_analyzes_the_usage_it_wrote_afresh_but_not_after_a_small_change(account_owner):
    account = factories.make_account(account_owner)
    contacts = [factories.make_contact(account, first_name=f"Busy{n}") for n in range(2)]
    _used_to_the_limit(contacts[0])

    with analyzed() as first:
        first_run = usage_recompute()
    factories.make_activity(contacts[1], timezone.localdate() - timedelta(days=3))
    with analyzed() as next_hour:
        small_run = usage_recompute()

    assert first_run.full and first_run.rows_written
    assert USAGE in first
    assert (small_run.full, small_run.rows_written) == (False, 1)
    assert USAGE not in next_hour

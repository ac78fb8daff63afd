"""Fast bulk loading for generated data (the demo seeders).

Rows are plain tuples buffered per table and written in batches: `COPY ... FROM STDIN` on
PostgreSQL (psycopg 3), one `executemany` INSERT per batch elsewhere (SQLite). Both paths write the
values given, including `auto_now`/`auto_now_add` timestamps, so a seed produces the same data on
either database (`bulk_create` would overwrite those with the current time).

Tables whose rows other rows point to take their ids from `Table.new_id()`, counted up from the
table's current maximum; `BulkLoader.finish()` moves the database sequences past them. Nothing else
may insert into such a table between the first `new_id()` and `finish()`.

On PostgreSQL, inside a transaction, the loader follows the manual's advice for populating a
database: it drops the tables' foreign keys and plain (non-unique) indexes while loading and
re-creates them in `finish()`. Re-adding a foreign key checks all rows in one join, where keeping it
would queue one deferred check per row for commit time (the slowest part of a large load). Primary
keys and unique constraints stay, so duplicates are still refused as rows arrive. Everything is
rolled back with the transaction if the load fails.
"""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from core.statistics import analyze


class Table:
    """The rows waiting to be written to one model's table, in the order of `field_names`."""

    def __init__(self, loader: "BulkLoader", model: type[Model], field_names: Sequence[str]):
        self.loader = loader
        self.model = model
        self.fields = [model._meta.get_field(name) for name in field_names]
        self.columns = [field.column for field in self.fields]
        self.rows: list[tuple] = []
        self.written = 0
        self._first_id: int | None = None
        self._next_id = 0

    def new_id(self) -> int:
        """The next free primary key; the id column must then be the row's first value."""
        if self._first_id is None:
            self._first_id = self._next_id = self.loader.max_pk(self.model) + 1
        self._next_id += 1
        return self._next_id - 1

    def id_range(self) -> range:
        """The ids handed out by `new_id()`, a contiguous range (empty if none)."""
        if self._first_id is None:
            return range(0)
        return range(self._first_id, self._next_id)

    @property
    def assigns_ids(self) -> bool:
        return self._first_id is not None

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.loader.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.loader.write(self, self.rows)
            self.written += len(self.rows)
            self.rows = []


class BulkLoader:
    """Buffers rows per table and writes them in batches, so memory stays bounded."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS, batch_size: int = 20_000):
        self.connection = connections[using]
        self.batch_size = batch_size
        self.tables: list[Table] = []
        # SQL that re-creates what was dropped for the load, per table name.
        self._restore: dict[str, list[str]] = {}

    @property
    def is_postgres(self) -> bool:
        return self.connection.vendor == "postgresql"

    def table(self, model: type[Model], field_names: Sequence[str]) -> Table:
        table = Table(self, model, field_names)
        self.tables.append(table)
        if self.is_postgres and self.connection.in_atomic_block:
            self._drop_checks(model._meta.db_table)
        return table

    def through(self, m2m_field) -> Table:
        """The table behind a many-to-many field, taking (source id, target id) rows."""
        through = m2m_field.remote_field.through
        return self.table(through, [m2m_field.m2m_field_name(), m2m_field.m2m_reverse_field_name()])

    def _drop_checks(self, db_table: str) -> None:
        """Drop a table's foreign keys and plain indexes, remembering how to re-create them."""
        if db_table in self._restore:
            return
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if not self._restore:
                # Run the checks already queued in this transaction: a table with pending
                # deferred checks cannot be altered.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [quote(db_table)],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisunique AND NOT indisprimary ORDER BY 1",
                [quote(db_table)],
            )
            indexes = cursor.fetchall()
            for name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(db_table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        self._restore[db_table] = [definition for _name, definition in indexes] + [
            f"ALTER TABLE {quote(db_table)} ADD CONSTRAINT {quote(name)} {definition}"
            for name, definition in foreign_keys
        ]

    def max_pk(self, model: type[Model]) -> int:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)}")
            return cursor.fetchone()[0] or 0

    def write(self, table: Table, rows: list[tuple]) -> None:
        if self.is_postgres:
            self._copy(table, rows)
        else:
            self._insert(table, rows)

    def _copy(self, table: Table, rows: Iterable[tuple]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(column) for column in table.columns)
        sql = f"COPY {quote(table.model._meta.db_table)} ({columns}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def _insert(self, table: Table, rows: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(column) for column in table.columns)
        placeholders = ", ".join(["%s"] * len(table.columns))
        sql = f"INSERT INTO {quote(table.model._meta.db_table)} ({columns}) VALUES ({placeholders})"
        fields, connection = table.fields, self.connection
        prepared = [
            tuple(field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True))
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)

    def finish(self) -> dict[str, int]:
        """Write what is left, move sequences past assigned ids, refresh planner statistics.

        Returns the number of rows written per table.
        """
        for table in self.tables:
            table.flush()
        models = [table.model for table in self.tables if table.assigns_ids]
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if self._restore:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statements in self._restore.values():
                for sql in statements:
                    cursor.execute(sql)
            self._restore = {}
        if self.is_postgres:
            # Later seeders query these tables in the same transaction; without statistics
            # the planner would take freshly loaded million-row tables for empty ones.
            analyze(*(table.model for table in self.tables), using=self.connection.alias)
        counts: dict[str, int] = {}
        for table in self.tables:
            counts[table.model._meta.db_table] = counts.get(table.model._meta.db_table, 0) + table.written
        return counts

"""The database triggers that note, in limits_usagechange, every contact whose uses may have changed.

Written by migrations (limits 0008, 0009 and 0010), for PostgreSQL and SQLite. Triggers rather than
Django signals: a bulk load, an admin bulk delete or raw SQL writes rows without signals, and the
limits job must never miss a change. A trigger appends the contact in the transaction of the
write itself; PostgreSQL notes each statement once, from its transition tables, SQLite each row.
An update notes the old and the new contact, and only when a column a limit is computed from
changed. The migrations' SQL comes from here: change it only in ways that keep what they wrote.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations


@dataclass(frozen=True)
class Noted:
    """A table whose writes are noted: which column names the contact, which columns a limit is
    computed from, and which rows count at all (an SQL condition on the row, or None)."""

    table: str
    prefix: str  # of the trigger and function names
    contact: str
    inputs: tuple[str, ...]
    counts: str | None = None


POSTGRES_FUNCTION = """
CREATE FUNCTION {prefix}_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO limits_usagechange (contact_id)
        SELECT DISTINCT {contact} FROM new_rows WHERE {contact} IS NOT NULL AND {counts};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO limits_usagechange (contact_id)
        SELECT DISTINCT {contact} FROM old_rows WHERE {contact} IS NOT NULL AND {counts};
    ELSE
        INSERT INTO limits_usagechange (contact_id)
        SELECT o.{contact} FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE {changed} AND o.{contact} IS NOT NULL
        UNION
        SELECT n.{contact} FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE {changed} AND n.{contact} IS NOT NULL;
    END IF;
    RETURN NULL;
END $$
"""

# event: (trigger name suffix, PostgreSQL transition tables, SQLite row)
EVENTS = {
    "INSERT": ("inserted", "NEW TABLE AS new_rows", "NEW"),
    "UPDATE": ("updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows", None),
    "DELETE": ("deleted", "OLD TABLE AS old_rows", "OLD"),
}


@dataclass(frozen=True)
class NotedContacts:
    """The contacts table itself: a contact is noted when created, and when one of `inputs`
    changes (a contact moving to another account, whose limit may hold them back though they
    have used nothing themselves). Updates are noted row by row, and only by an UPDATE that sets
    an input: most updates of contacts (the limits job's own status moves) set none and cost
    nothing."""

    table: str
    prefix: str
    inputs: tuple[str, ...]


POSTGRES_CONTACT_FUNCTIONS = (
    """
CREATE FUNCTION {prefix}_note_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO limits_usagechange (contact_id) SELECT id FROM new_rows;
    RETURN NULL;
END $$
""",
    """
CREATE FUNCTION {prefix}_note_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO limits_usagechange (contact_id) VALUES (NEW.id);
    RETURN NULL;
END $$
""",
)


def contact_triggers_operation(noted: NotedContacts) -> migrations.RunPython:
    """The migration operation that creates the triggers of the contacts table (and drops them)."""

    def create(apps, schema_editor) -> None:
        for statement in _contact_statements(schema_editor.connection.vendor, noted):
            schema_editor.execute(statement)

    def drop(apps, schema_editor) -> None:
        postgres = schema_editor.connection.vendor == "postgresql"
        for name in ("inserted", "updated"):
            schema_editor.execute(
                f"DROP TRIGGER {noted.prefix}_{name}" + (f" ON {noted.table}" if postgres else "")
            )
            if postgres:
                schema_editor.execute(f"DROP FUNCTION {noted.prefix}_note_{name}()")

    return migrations.RunPython(create, drop)


def _contact_statements(vendor: str, noted: NotedContacts) -> list[str]:
    columns = ", ".join(noted.inputs)
    if vendor == "postgresql":
        old = ", ".join(f"OLD.{column}" for column in noted.inputs)
        new = ", ".join(f"NEW.{column}" for column in noted.inputs)
        return [function.format(prefix=noted.prefix) for function in POSTGRES_CONTACT_FUNCTIONS] + [
            f"CREATE TRIGGER {noted.prefix}_inserted AFTER INSERT ON {noted.table} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {noted.prefix}_note_inserted()",
            f"CREATE TRIGGER {noted.prefix}_updated AFTER UPDATE OF {columns} ON {noted.table} FOR EACH ROW "
            f"WHEN (({old}) IS DISTINCT FROM ({new})) EXECUTE FUNCTION {noted.prefix}_note_updated()",
        ]
    if vendor == "sqlite":
        changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in noted.inputs)
        note = "BEGIN INSERT INTO limits_usagechange (contact_id) VALUES (NEW.id); END"
        return [
            f"CREATE TRIGGER {noted.prefix}_inserted AFTER INSERT ON {noted.table} {note}",
            f"CREATE TRIGGER {noted.prefix}_updated AFTER UPDATE OF {columns} ON {noted.table} "
            f"WHEN {changed} {note}",
        ]
    raise ImproperlyConfigured(
        f"RMS runs on PostgreSQL or SQLite (the limits job needs its triggers), not {vendor}"
    )


def triggers_operation(*tables: Noted) -> migrations.RunPython:
    """The migration operation that creates the triggers of these tables (and drops them when
    the migration is reversed)."""

    def create(apps, schema_editor) -> None:
        for noted in tables:
            for statement in create_statements(schema_editor.connection.vendor, noted):
                schema_editor.execute(statement)

    def drop(apps, schema_editor) -> None:
        for noted in tables:
            for statement in drop_statements(schema_editor.connection.vendor, noted):
                schema_editor.execute(statement)

    return migrations.RunPython(create, drop)


def create_statements(vendor: str, noted: Noted) -> list[str]:
    if vendor == "postgresql":
        return _postgres(noted)
    if vendor == "sqlite":
        return _sqlite(noted)
    raise ImproperlyConfigured(
        f"RMS runs on PostgreSQL or SQLite (the limits job needs its triggers), not {vendor}"
    )


def drop_statements(vendor: str, noted: Noted) -> list[str]:
    postgres = vendor == "postgresql"
    statements = [
        f"DROP TRIGGER {noted.prefix}_{name}" + (f" ON {noted.table}" if postgres else "")
        for name, _tables, _row in EVENTS.values()
    ]
    if postgres:
        statements.append(f"DROP FUNCTION {noted.prefix}_note()")
    return statements


def _postgres(noted: Noted) -> list[str]:
    """A function, and a trigger per kind of write, run once per statement with the rows it wrote."""
    old = ", ".join(f"o.{column}" for column in noted.inputs)
    new = ", ".join(f"n.{column}" for column in noted.inputs)
    function = POSTGRES_FUNCTION.format(
        prefix=noted.prefix,
        contact=noted.contact,
        counts=noted.counts or "TRUE",
        changed=f"({old}) IS DISTINCT FROM ({new})",
    )
    return [function] + [
        f"CREATE TRIGGER {noted.prefix}_{name} AFTER {event} ON {noted.table} REFERENCING {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {noted.prefix}_note()"
        for event, (name, tables, _row) in EVENTS.items()
    ]


def _sqlite(noted: Noted) -> list[str]:
    """A trigger per kind of write, run for each row."""
    statements = []
    for event, (name, _tables, row) in EVENTS.items():
        if row is None:  # an update: the old and the new contact, when an input changed
            when = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in noted.inputs)
            action = " UNION ".join(
                f"SELECT {side}.{noted.contact} WHERE {side}.{noted.contact} IS NOT NULL"
                for side in ("OLD", "NEW")
            )
        else:
            when = " AND ".join(
                [f"{row}.{noted.contact} IS NOT NULL"] + ([f"{row}.{noted.counts}"] if noted.counts else [])
            )
            action = f"VALUES ({row}.{noted.contact})"
        statements.append(
            f"CREATE TRIGGER {noted.prefix}_{name} AFTER {event} ON {noted.table} WHEN {when} "
            f"BEGIN INSERT INTO limits_usagechange (contact_id) {action}; END"
        )
    return statements

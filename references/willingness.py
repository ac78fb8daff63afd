"""The triggers that keep `Willingness` a copy of the preferences' activity types with the contact.

Written by a migration (references 0016), for PostgreSQL and SQLite, in the way of the limits
job's triggers (limits/change_triggers.py): triggers rather than signals, because a bulk load, an
admin bulk delete or raw SQL writes rows without signals. A row of the preferences' activity types
inserted copies itself (id, its preferences' contact, the type); one deleted deletes its copy; one
updated is replaced. Preferences moved to another contact (rare: one row per contact) carry their
copies along. PostgreSQL runs each statement's rows at once (transition tables), SQLite row by row.
The migration's SQL comes from here: change it only in ways that keep what it wrote.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

TYPES = "references_participationpreferences_activity_types"
PREFERENCES = "references_participationpreferences"
COPIES = "references_willingness"
PREFIX = "references_willingness"

_COPY = (
    f"INSERT INTO {COPIES} (id, contact_id, activity_type_id) "
    "SELECT {row}.id, p.contact_id, {row}.activitytype_id FROM {rows} "
    f"JOIN {PREFERENCES} p ON p.id = {{row}}.participationpreferences_id"
)
_MOVE = (
    f"UPDATE {COPIES} SET contact_id = NEW.contact_id "
    f"WHERE id IN (SELECT id FROM {TYPES} WHERE participationpreferences_id = NEW.id)"
)

POSTGRES = [
    f"""
CREATE FUNCTION {PREFIX}_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM {COPIES} c USING old_rows o WHERE c.id = o.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_COPY.format(row="n", rows="new_rows n")};
    END IF;
    RETURN NULL;
END $$
""",
    f"""
CREATE FUNCTION {PREFIX}_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_MOVE};
    RETURN NULL;
END $$
""",
    f"CREATE TRIGGER {PREFIX}_inserted AFTER INSERT ON {TYPES} REFERENCING NEW TABLE AS new_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_copy()",
    f"CREATE TRIGGER {PREFIX}_updated AFTER UPDATE ON {TYPES} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_copy()",
    f"CREATE TRIGGER {PREFIX}_deleted AFTER DELETE ON {TYPES} REFERENCING OLD TABLE AS old_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_copy()",
    f"CREATE TRIGGER {PREFIX}_moved AFTER UPDATE OF contact_id ON {PREFERENCES} FOR EACH ROW "
    f"WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id) EXECUTE FUNCTION {PREFIX}_move()",
]

_SQLITE_COPY = _COPY.format(row="NEW", rows="(SELECT 1)")  # one row: the trigger's own
SQLITE = [
    f"CREATE TRIGGER {PREFIX}_inserted AFTER INSERT ON {TYPES} BEGIN {_SQLITE_COPY}; END",
    f"CREATE TRIGGER {PREFIX}_updated AFTER UPDATE ON {TYPES} "
    f"BEGIN DELETE FROM {COPIES} WHERE id = OLD.id; {_SQLITE_COPY}; END",
    f"CREATE TRIGGER {PREFIX}_deleted AFTER DELETE ON {TYPES} "
    f"BEGIN DELETE FROM {COPIES} WHERE id = OLD.id; END",
    f"CREATE TRIGGER {PREFIX}_moved AFTER UPDATE OF contact_id ON {PREFERENCES} "
    f"WHEN OLD.contact_id IS NOT NEW.contact_id BEGIN {_MOVE}; END",
]

# The rows there before the triggers without a copy yet: all of them in the first migration;
# none but those written meanwhile when a later one creates the triggers again.
BACKFILL = (
    f"INSERT INTO {COPIES} (id, contact_id, activity_type_id) "
    f"SELECT t.id, p.contact_id, t.activitytype_id FROM {TYPES} t "
    f"JOIN {PREFERENCES} p ON p.id = t.participationpreferences_id "
    f"WHERE NOT EXISTS (SELECT 1 FROM {COPIES} c WHERE c.id = t.id)"
)


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES
    if vendor == "sqlite":
        return SQLITE
    raise ImproperlyConfigured(
        f"RMS runs on PostgreSQL or SQLite (willingness is kept by triggers), not {vendor}"
    )


def _drop_statements(vendor: str) -> list[str]:
    postgres = vendor == "postgresql"
    drops = [
        f"DROP TRIGGER {PREFIX}_{name}" + (f" ON {table}" if postgres else "")
        for name, table in (
            ("inserted", TYPES),
            ("updated", TYPES),
            ("deleted", TYPES),
            ("moved", PREFERENCES),
        )
    ]
    if postgres:
        drops += [f"DROP FUNCTION {PREFIX}_copy()", f"DROP FUNCTION {PREFIX}_move()"]
    return drops


def triggers_operation() -> migrations.RunPython:
    """The migration operation that creates the triggers and copies the rows already there (and,
    reversed, drops the triggers)."""

    def create(apps, schema_editor) -> None:
        for statement in _statements(schema_editor.connection.vendor):
            schema_editor.execute(statement)
        schema_editor.execute(BACKFILL)

    def drop(apps, schema_editor) -> None:
        for statement in _drop_statements(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(create, drop)

"""Note every change to a contact's uses or own cap, for the limits job's next run.

Database triggers, not Django signals: a bulk load, an admin bulk delete or raw SQL changes
activities without signals, and the job must never miss a change. They append the contact to
limits_usagechange in the transaction of the change itself. PostgreSQL notes each statement once,
from its transition tables; SQLite (the embedded default) notes each row.

What counts: an activity added or removed, or its contact, account, type or day changed; an own
cap per quarter set, changed or cleared. Notes, durations and the like are not inputs of a limit.
"""

import django.db.models.functions.datetime
from django.db import migrations, models

# table, trigger name prefix, the columns a limit is computed from, which rows count at all
NOTED = (
    (
        "references_referenceactivity",
        "limits_activity",
        ("contact_id", "account_id", "activity_type_id", "occurred_on"),
        None,
    ),
    (
        "references_participationpreferences",
        "limits_own_cap",
        ("contact_id", "own_cap_per_quarter"),
        "own_cap_per_quarter IS NOT NULL",
    ),
)

POSTGRES_FUNCTION = """
CREATE FUNCTION {prefix}_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO limits_usagechange (contact_id) SELECT DISTINCT contact_id FROM new_rows WHERE {counts};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO limits_usagechange (contact_id) SELECT DISTINCT contact_id FROM old_rows WHERE {counts};
    ELSE
        INSERT INTO limits_usagechange (contact_id)
        SELECT o.contact_id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}
        UNION
        SELECT n.contact_id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed};
    END IF;
    RETURN NULL;
END $$
"""

# event: (trigger name suffix, PostgreSQL transition tables, the SQLite row noted)
EVENTS = {
    "INSERT": ("inserted", "NEW TABLE AS new_rows", ("NEW",)),
    "UPDATE": ("updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows", ("OLD", "NEW")),
    "DELETE": ("deleted", "OLD TABLE AS old_rows", ("OLD",)),
}


def _postgres(table: str, prefix: str, inputs: tuple, counts: str | None) -> list[str]:
    """A function, and a trigger per kind of write, run once per statement with the rows it wrote."""
    old = ", ".join(f"o.{column}" for column in inputs)
    new = ", ".join(f"n.{column}" for column in inputs)
    changed = f"({old}) IS DISTINCT FROM ({new})"
    statements = [POSTGRES_FUNCTION.format(prefix=prefix, counts=counts or "TRUE", changed=changed)]
    for event, (name, tables, _rows) in EVENTS.items():
        statements.append(
            f"CREATE TRIGGER {prefix}_{name} AFTER {event} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_note()"
        )
    return statements


def _sqlite(table: str, prefix: str, inputs: tuple, counts: str | None) -> list[str]:
    """A trigger per kind of write, run for each row."""
    statements = []
    for event, (name, _tables, rows) in EVENTS.items():
        if event == "UPDATE":
            when = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in inputs)
        else:
            when = f"{rows[0]}.{counts}" if counts else "1"
        values = ", ".join(f"({row}.contact_id)" for row in rows)
        statements.append(
            f"CREATE TRIGGER {prefix}_{name} AFTER {event} ON {table} WHEN {when} "
            f"BEGIN INSERT INTO limits_usagechange (contact_id) VALUES {values}; END"
        )
    return statements


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    spell = {"postgresql": _postgres, "sqlite": _sqlite}.get(vendor)
    if spell is None:
        raise NotImplementedError(f"limits: no change triggers for {vendor}")
    for noted in NOTED:
        for statement in spell(*noted):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, prefix, _inputs, _counts in NOTED:
        for name, _tables, _rows in EVENTS.values():
            schema_editor.execute(f"DROP TRIGGER {prefix}_{name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            schema_editor.execute(f"DROP FUNCTION {prefix}_note()")


class Migration(migrations.Migration):
    dependencies = [
        ("limits", "0007_usage_autovacuum"),
        ("references", "0005_currency_rates"),
    ]

    operations = [
        migrations.CreateModel(
            name="UsageChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("contact_id", models.BigIntegerField()),
                ("noted_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

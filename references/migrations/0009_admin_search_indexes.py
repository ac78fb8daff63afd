"""Indexes for the admin's searches of accounts and contacts (PostgreSQL).

The admin searches names from their start and email addresses whole, in any case
(references.admin.search); Django writes those as `UPPER(column) LIKE 'GLOB%'` and
`UPPER(column) = UPPER('…')`. An index on the same expression answers them; `text_pattern_ops`
lets a prefix LIKE use it whatever the database's collation. SQLite, a development database,
scans instead: its LIKE is spelled differently and the operator class is PostgreSQL's.
"""

from django.db import migrations

# (index, table, indexed expression)
SEARCH_INDEXES = [
    ("account_name_prefix", "references_account", "UPPER(name) text_pattern_ops"),
    ("contact_first_name_prefix", "references_contact", "UPPER(first_name) text_pattern_ops"),
    ("contact_last_name_prefix", "references_contact", "UPPER(last_name) text_pattern_ops"),
    ("contact_email_upper", "references_contact", "UPPER(email)"),
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in SEARCH_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expression})")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("references", "0008_deal_names")]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes)]

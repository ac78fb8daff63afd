"""The match-weights and index-state rows, and the PostgreSQL-only GIN indexes of the search index.

GIN indexes (the tsvector and the id arrays) exist only on PostgreSQL; on SQLite the search falls
back to LIKE and json_each, so there is nothing to index there.
"""

from django.db import migrations

GIN_INDEXES = [
    ("searchdoc_vector_gin", "matching_searchdocument", "vector"),
    ("refentry_products_gin", "matching_referenceentry", "product_ids"),
    ("refentry_use_cases_gin", "matching_referenceentry", "use_case_ids"),
    ("refentry_competitors_gin", "matching_referenceentry", "competitor_ids"),
    ("refentry_activity_types_gin", "matching_referenceentry", "activity_type_ids"),
]


def create_rows(apps, schema_editor):
    apps.get_model("matching", "MatchWeights").objects.get_or_create(pk=1)
    apps.get_model("matching", "SearchIndexState").objects.get_or_create(pk=1)


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in GIN_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column})")


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in GIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [
        migrations.RunPython(create_rows, migrations.RunPython.noop),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]

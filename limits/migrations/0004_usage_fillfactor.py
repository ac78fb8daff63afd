"""Leave room in each page of the usage table (PostgreSQL), so that the job's daily updates of a
few thousand rows stay on their page (HOT updates) instead of rewriting the indexes."""

from django.db import migrations


def set_fillfactor(apps, schema_editor, value: int) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE limits_contactusage SET (fillfactor = {value})")


class Migration(migrations.Migration):
    dependencies = [("limits", "0003_usage_inputs")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: set_fillfactor(apps, schema_editor, 70),
            lambda apps, schema_editor: set_fillfactor(apps, schema_editor, 100),
        ),
    ]

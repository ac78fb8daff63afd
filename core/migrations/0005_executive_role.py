"""The Executive role: a group with no model permissions (it reads /insights/ and nothing else)."""

from django.db import migrations


def create_executive(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Executive")


def remove_executive(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Executive").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_managers_keep_the_records")]
    operations = [migrations.RunPython(create_executive, remove_executive)]

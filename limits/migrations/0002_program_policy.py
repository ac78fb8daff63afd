"""The program's default limits: the one LimitPolicy row, editable in the admin."""

from django.db import migrations


def create_policy(apps, schema_editor):
    LimitPolicy = apps.get_model("limits", "LimitPolicy")
    LimitPolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("limits", "0001_initial")]

    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]

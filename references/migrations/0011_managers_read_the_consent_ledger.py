"""Reference managers read the consent ledger in the admin (it is read-only for everyone)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_view(apps, schema_editor):
    app_config = apps.get_app_config("references")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(content_type__app_label="references", codename="view_consententry")
    for group in Group.objects.filter(name="Reference manager"):
        group.permissions.add(*view)


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0010_consent_ledger_and_pauses"),
        ("core", "0004_managers_keep_the_records"),
    ]
    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]

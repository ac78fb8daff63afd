"""Reference managers add, change and delete teams, goals and digest recipients (in the admin and
on the goals page), like the program's other lists; executives hold no model permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["team", "programgoal", "digestrecipient"]
ACTIONS = ["view", "add", "change", "delete"]


def grant(apps, schema_editor):
    # The permissions of a new app are made after the migrations run: make them now.
    app_config = apps.get_app_config("insights")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Reference manager")
    codenames = [f"{action}_{model}" for action in ACTIONS for model in MODELS]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="insights", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Reference manager").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="insights"))


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial"), ("core", "0005_executive_role")]
    operations = [migrations.RunPython(grant, revoke)]

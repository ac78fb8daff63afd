"""Create the role groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# app_label -> {role: actions}; "*" means every model of the app.
ROLE_PERMISSIONS = {
    "Sales": {"references": ["view"], "references.opportunity": ["add", "change"]},
    "Reference manager": {"references": ["view", "add", "change", "delete"]},
    "Marketing": {"references": ["view"]},
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for target, actions in grants.items():
            app_label, _, model = target.partition(".")
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if model:
                perms = perms.filter(content_type__model=model)
            for action in actions:
                group.permissions.add(*perms.filter(codename__startswith=f"{action}_"))


class Migration(migrations.Migration):
    dependencies = [("references", "0002_seed_taxonomies"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

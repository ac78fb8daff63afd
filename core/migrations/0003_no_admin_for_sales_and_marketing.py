"""Sales and Marketing work in their portals only: their groups lose every model permission.

They held `view` on every catalogue model and Sales `add`/`change` on deals, which let them list
every contact's email and phone in the admin and edit anyone's deal. The admin now lets in only
administrators and reference managers (`core.admin_site`); this takes the permissions away too,
so nothing depends on the site's check alone.
"""

from django.db import migrations

NO_ADMIN_ROLES = ["Sales", "Marketing"]


def clear_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=NO_ADMIN_ROLES):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_sso_identity")]
    # Not reversed: going back must not hand the contact details out again.
    operations = [migrations.RunPython(clear_permissions, migrations.RunPython.noop)]

"""Reference managers use the admin read-mostly: they no longer delete the program's records.

Accounts and contacts are retired by a status change (with its history), deals are closed, and
activities and notes are the history the limits and reports read; deleting any of them by hand
would lose that. Administrators still can. Blackouts, limit rules and taxonomies stay deletable.
"""

from django.db import migrations

KEPT_RECORDS = [
    "account",
    "contact",
    "opportunity",
    "referenceactivity",
    "accountnote",
    "participationpreferences",
]


def stop_deleting(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Reference manager").first()
    if group is None:
        return
    codenames = [f"delete_{model}" for model in KEPT_RECORDS]
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="references", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_no_admin_for_sales_and_marketing")]
    operations = [migrations.RunPython(stop_deleting, migrations.RunPython.noop)]

"""The one-to-many activity types planned events use (group reference call, webinar, customer
council, user-group session), for databases seeded before they were in the taxonomy data."""

from django.db import migrations

from references import taxonomy_data as data


def install(apps, schema_editor):
    ActivityType = apps.get_model("references", "ActivityType")
    last = ActivityType.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    for code, name, counts, one_to_many in data.ACTIVITY_TYPES:
        if ActivityType.objects.filter(code=code).exists():
            continue
        last += 1
        ActivityType.objects.create(
            code=code, name=name, sort_order=last, counts_toward_limits=counts, is_one_to_many=one_to_many
        )


class Migration(migrations.Migration):
    dependencies = [("references", "0011_managers_read_the_consent_ledger")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

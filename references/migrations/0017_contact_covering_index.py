"""Contacts in id order with their status and account, for an index-only read (insights utilization)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0016_willingness"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["id", "status", "account"], name="contact_id_status_account"),
        ),
    ]

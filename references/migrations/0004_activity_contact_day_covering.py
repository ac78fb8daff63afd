"""The index of a contact's activities by day also carries the type and the account, so the burnout
limits read a contact's recent uses from the index alone. Built before the one it replaces is dropped."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0003_preferences_own_cap_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referenceactivity",
            index=models.Index(
                fields=["contact", "occurred_on", "activity_type", "account"],
                name="activity_contact_day",
            ),
        ),
        migrations.RemoveIndex(
            model_name="referenceactivity",
            name="references__contact_4fa4bb_idx",
        ),
    ]

"""Note every change to a contact's uses or own cap, for the limits job's next run.

Database triggers (limits/change_triggers.py) append the contact to limits_usagechange in the
transaction of the change. What counts: an activity added or removed, or its contact, account,
type or day changed; an own cap per quarter set, changed or cleared. Notes, durations and the like
are not inputs of a limit.
"""

import django.db.models.functions.datetime
from django.db import migrations, models

from limits.change_triggers import Noted, triggers_operation

NOTED = (
    Noted(
        table="references_referenceactivity",
        prefix="limits_activity",
        contact="contact_id",
        inputs=("contact_id", "account_id", "activity_type_id", "occurred_on"),
    ),
    Noted(
        table="references_participationpreferences",
        prefix="limits_own_cap",
        contact="contact_id",
        inputs=("contact_id", "own_cap_per_quarter"),
        counts="own_cap_per_quarter IS NOT NULL",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("limits", "0007_usage_autovacuum"),
        ("references", "0005_currency_rates"),
    ]

    operations = [
        migrations.CreateModel(
            name="UsageChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("contact_id", models.BigIntegerField()),
                ("noted_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
            ],
        ),
        triggers_operation(*NOTED),
    ]

"""Note the chosen contact of a reference request whenever its status, contact or activity type
changes: an approved request uses a slot until it is held, so one cancelled, declined or expired
after approval frees it (limits/change_triggers.py). And the usage's "judged again on" day also
covers a use from before the quarter that stops counting (help text only)."""

from django.db import migrations, models

from limits.change_triggers import Noted, triggers_operation


class Migration(migrations.Migration):
    dependencies = [
        ("limits", "0008_usage_changes"),
        ("requests_app", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contactusage",
            name="window_moves_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The day the earliest use in the window leaves it, or a use from before the quarter "
                    "stops counting: judged again then."
                ),
                null=True,
            ),
        ),
        triggers_operation(
            Noted(
                table="requests_app_referencerequest",
                prefix="limits_request",
                contact="chosen_contact_id",
                inputs=("status", "chosen_contact_id", "activity_type_id"),
            )
        ),
    ]

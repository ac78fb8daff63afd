"""What each usage row was computed from, so the job judges again only contacts whose inputs changed.

Existing rows take their contact's account; their rules key (0) matches no policy, so the next run
of the job judges every contact once and fills the rest.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("limits", "0002_program_policy"),
        ("references", "0003_preferences_own_cap_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactusage",
            name="account",
            field=models.ForeignKey(
                help_text="The account whose limit the uses count toward.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="references.account",
            ),
        ),
        migrations.RunSQL(
            "UPDATE limits_contactusage SET account_id = (SELECT c.account_id FROM references_contact c"
            " WHERE c.id = limits_contactusage.contact_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="contactusage",
            name="account",
            field=models.ForeignKey(
                help_text="The account whose limit the uses count toward.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="references.account",
            ),
        ),
        migrations.AddField(
            model_name="contactusage",
            name="own_cap",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="The contact's own cap per quarter, as last judged.", null=True
            ),
        ),
        migrations.AddField(
            model_name="contactusage",
            name="quarter_used",
            field=models.PositiveSmallIntegerField(default=0, help_text="Slots used this calendar quarter."),
        ),
        migrations.AddField(
            model_name="contactusage",
            name="rules_key",
            field=models.BigIntegerField(
                default=0, help_text="Fingerprint of the program policy and the limit rules, as last judged."
            ),
        ),
        migrations.AddField(
            model_name="contactusage",
            name="uses_checksum",
            field=models.BigIntegerField(
                default=0,
                help_text="Sums of the uses' day numbers and of their squares: tells one set of days from another.",
            ),
        ),
    ]

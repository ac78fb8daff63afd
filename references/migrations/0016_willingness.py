"""Willingness: the preferences' activity types copied with their contact, kept by triggers
(references/willingness.py), the rows already there copied once."""

import django.db.models.deletion
from django.db import migrations, models

from references.willingness import triggers_operation


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0015_insights_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Willingness",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                (
                    "activity_type",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="references.activitytype",
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="references.contact"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "willingness",
                "indexes": [
                    models.Index(fields=["activity_type", "contact"], name="willingness_type_contact")
                ],
            },
        ),
        triggers_operation(),
    ]

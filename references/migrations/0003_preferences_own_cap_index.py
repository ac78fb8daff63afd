"""An index of the contacts who set their own cap, with the cap: the limits job reads it alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0002_seed_taxonomies"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participationpreferences",
            index=models.Index(
                condition=models.Q(("own_cap_per_quarter__isnull", False)),
                fields=["contact", "own_cap_per_quarter"],
                name="preferences_own_cap",
            ),
        ),
    ]

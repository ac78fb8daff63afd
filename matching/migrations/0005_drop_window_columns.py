"""Search no longer stores how much of their limits contacts have used: it reads the limits job's usage."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0004_drop_unused_default_cap"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="referenceentry",
            name="refentry_window",
        ),
        migrations.RemoveField(
            model_name="referenceentry",
            name="oldest_in_window",
        ),
        migrations.RemoveField(
            model_name="referenceentry",
            name="used_in_window",
        ),
    ]

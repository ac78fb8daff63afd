"""Note a contact when created or moved to another account: a contact who has used nothing is
still held back by their account's limit once its other contacts have used it, and the limits
job now stores their usage too (limits/change_triggers.py)."""

from django.db import migrations

from limits.change_triggers import NotedContacts, contact_triggers_operation


class Migration(migrations.Migration):
    dependencies = [
        ("limits", "0009_request_changes"),
        ("references", "0005_currency_rates"),
    ]

    operations = [
        contact_triggers_operation(
            NotedContacts(table="references_contact", prefix="limits_contact", inputs=("account_id",))
        ),
    ]

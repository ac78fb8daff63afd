"""`manage.py rebuild_insight_facts`: rebuild the revenue figures' facts now (insights/facts.py),
as beat does every INSIGHT_FACTS_SECONDS — after an upgrade or a bulk load, rather than wait."""

from django.core.management.base import BaseCommand

from insights import facts


class Command(BaseCommand):
    help = "Rebuild the insights' revenue facts now (beat does it every INSIGHT_FACTS_SECONDS)."

    def handle(self, *args, **options) -> None:
        rebuilt = facts.refresh()
        self.stdout.write(
            f"Revenue facts rebuilt in {rebuilt.took_ms:,} ms: {rebuilt.deals:,} closed deals, "
            f"{rebuilt.influences:,} influences."
        )

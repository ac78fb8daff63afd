from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """What the program is worth and how it runs, in figures: the insights pages' figures, the digests."""

    name = "insights"
    verbose_name = "Program insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insights import digest, weekly
        from insights.aggregates import register_sqlite_aggregates

        weekly.register_kinds()
        digest.register_kinds()
        register_sqlite_aggregates()

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """What the program is worth and how it runs, in figures: the weekly digest for now."""

    name = "insights"
    verbose_name = "Program insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insights.weekly import register_kinds

        register_kinds()

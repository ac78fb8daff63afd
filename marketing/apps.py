from django.apps import AppConfig


class MarketingConfig(AppConfig):
    """Marketing's part of the program: the content library (assets, what customers permit, what
    each asset did) that reuses a customer's word many times."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "marketing"
    verbose_name = "Marketing"

    def ready(self) -> None:
        from marketing.notices import register_kinds

        register_kinds()

from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "limits"
    verbose_name = "Burnout limits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from limits.notices import register_kinds

        register_kinds()

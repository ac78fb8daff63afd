from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API at /api/: a front end over the apps' services and selectors, like the portals."""

    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """How other systems reach the program: API keys for machines, the CRM's upserts by external
    id, and spreadsheet import and export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks out: what happened in the program, written to an outbox in the transaction that
    made it happen, and delivered to subscribers' URLs, signed the Standard Webhooks way."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

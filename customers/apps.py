from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """The customer contact's side of the program: signing in to the portal, and what customers
    do there that is not a move of a request."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from customers.preferences import register_kinds as register_preference_kinds

        register_preference_kinds()

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """The customer contact's side of the program: signing in to the portal, and what customers
    do there that is not a move of a request."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from customers.links import email_link
        from customers.notices import register_kinds as register_erasure_kinds
        from customers.preferences import register_kinds as register_preference_kinds
        from notifications.emails import register_contact_link

        register_preference_kinds()
        register_erasure_kinds()
        # Every email to a contact links to its portal page through a fresh magic link.
        register_contact_link(email_link)

from django.apps import AppConfig


class PortalsConfig(AppConfig):
    """The screens of each portal (sales, manage, content) over the domain apps' services."""

    name = "portals"

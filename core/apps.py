from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self):
        from core import checks  # noqa: F401  (registers the deploy checks)


class RMSAdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` with RMS's site (`core.admin_site`) as `admin.site`; listed in
    INSTALLED_APPS in its place."""

    default = False  # `core` itself is CoreConfig
    default_site = "core.admin_site.RMSAdminSite"

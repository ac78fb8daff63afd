"""Top-level URL map: one prefix per portal (the customers' at /portal/), the admin, the API and
the health endpoints."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sales/", include(("portals.sales.urls", "sales"))),
    path("manage/", include(("portals.manage.urls", "manage"))),
    path("tasks/", include(("portals.tasks.urls", "tasks"))),
    path("content/", include(("portals.content.urls", "content"))),
    path("shared/", include(("portals.content.shared_urls", "shared"))),
    path("portal/", include(("portals.customer.urls", "customer"))),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("", include("core.urls")),
]

"""Top-level URL map: one prefix per portal (the customers' at /portal/), the admin, the API and
the health endpoints."""

from django.contrib import admin
from django.urls import include, path

from portals.customer.volunteer import volunteer

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sales/", include(("portals.sales.urls", "sales"))),
    path("manage/", include(("portals.manage.urls", "manage"))),
    path("tasks/", include(("portals.tasks.urls", "tasks"))),
    path("content/", include(("portals.content.urls", "content"))),
    path("shared/", include(("portals.content.shared_urls", "shared"))),
    path("profile/", include(("portals.profile.urls", "profile"))),
    path("insights/", include(("portals.insights.urls", "insights"))),
    path("portal/", include(("portals.customer.urls", "customer"))),
    # Anyone may volunteer as a reference (the customer portal's look, no session needed).
    path("become-a-reference/", volunteer, name="volunteer"),
    path("notifications/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("", include("core.urls")),
]

# Under /api/ a 404 or 500 is the API's JSON error body; elsewhere Django's pages.
handler404 = "rms.handlers.not_found"
handler500 = "rms.handlers.server_error"

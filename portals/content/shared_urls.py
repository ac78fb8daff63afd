"""Public links to shareable assets, at /shared/ (no sign-in: the signed token is the key)."""

from django.urls import path

from portals.content.views import shared

urlpatterns = [
    path("<str:token>/", shared.asset_page, name="asset"),
    path("<str:token>/file/", shared.asset_file, name="asset-file"),
]

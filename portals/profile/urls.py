"""A staff user's own page: their API keys."""

from django.urls import path

from portals.profile import views

urlpatterns = [
    path("", views.profile, name="home"),
    path("keys/<str:prefix>/revoke/", views.key_revoke, name="key-revoke"),
]

"""The customer portal, under /portal/: a contact's own place (portals/customer/access.py)."""

from django.urls import path

from portals.customer import data, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("data/", data.data, name="data"),
    path("data/download/", data.data_download, name="data-download"),
    path("data/erase/", data.erase, name="erase"),
]

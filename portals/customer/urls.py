"""The customer portal, under /portal/: a contact's own place (portals/customer/access.py)."""

from django.urls import path

from portals.customer import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
]

"""The customer portal, under /portal/: a contact's own place (portals/customer/access.py)."""

from django.urls import path

from portals.customer import signing, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", signing.sign_in, name="sign-in"),
    path("link/<str:token>/", signing.link, name="link"),
    path("link/<str:token>/renew/", signing.link_renew, name="link-renew"),
    path("sign-out/", signing.sign_out, name="sign-out"),
]

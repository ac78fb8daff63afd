"""The customer portal, under /portal/: a contact's own place (portals/customer/access.py)."""

from django.urls import path

from portals.customer import asks, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("asks/", asks.ask_list, name="asks"),
    path("asks/<int:pk>/", asks.ask_detail, name="ask"),
    path("asks/<int:pk>/accept/", asks.ask_accept, name="ask-accept"),
    path("asks/<int:pk>/decline/", asks.ask_decline, name="ask-decline"),
    path("verify/", asks.verify, name="verify"),
]

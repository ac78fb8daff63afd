"""The customer portal, under /portal/: a contact's own place (portals/customer/access.py)."""

from django.urls import path

from portals.customer import asks, data, history, preferences, signing, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", signing.sign_in, name="sign-in"),
    path("link/<str:token>/", signing.link, name="link"),
    path("link/<str:token>/renew/", signing.link_renew, name="link-renew"),
    path("sign-out/", signing.sign_out, name="sign-out"),
    path("asks/", asks.ask_list, name="asks"),
    path("asks/<int:pk>/", asks.ask_detail, name="ask"),
    path("asks/<int:pk>/accept/", asks.ask_accept, name="ask-accept"),
    path("asks/<int:pk>/decline/", asks.ask_decline, name="ask-decline"),
    path("verify/", asks.verify, name="verify"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("preferences/pause/", preferences.pause, name="preferences-pause"),
    path("preferences/unpause/", preferences.unpause, name="preferences-unpause"),
    path("preferences/stop/", preferences.stop, name="preferences-stop"),
    path("preferences/take-part/", preferences.take_part, name="preferences-take-part"),
    path("preferences/blackouts/", preferences.blackout_add, name="preferences-blackouts"),
    path(
        "preferences/blackouts/<int:pk>/remove/",
        preferences.blackout_remove,
        name="preferences-blackout-remove",
    ),
    path("history/", history.history, name="history"),
    path("feedback/<int:pk>/", history.feedback, name="feedback"),
    path("data/", data.data, name="data"),
    path("data/download/", data.data_download, name="data-download"),
    path("data/erase/", data.erase, name="erase"),
]

from django.urls import path

from portals.content.views import home, library

urlpatterns = [
    path("", home.home, name="home"),
    path("assets/", library.asset_list, name="assets"),
]

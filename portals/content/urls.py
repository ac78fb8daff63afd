from django.urls import path

from portals.content.views import assets, home

urlpatterns = [
    path("", home.home, name="home"),
    path("assets/", assets.asset_list, name="assets"),
]

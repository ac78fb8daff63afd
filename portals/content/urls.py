from django.urls import path

from portals.content.views import home

urlpatterns = [
    path("", home.home, name="home"),
]

from django.urls import path

from portals.manage import views

urlpatterns = [
    path("", views.home, name="home"),
]

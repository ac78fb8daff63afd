from django.urls import path

from portals.content import views

urlpatterns = [
    path("", views.home, name="home"),
]

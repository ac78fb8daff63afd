from django.urls import path

from portals.sales import views

urlpatterns = [
    path("", views.home, name="home"),
]

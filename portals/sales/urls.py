from django.urls import include, path

from portals.sales import approvals, views

urlpatterns = [
    path("", views.home, name="home"),
    path("approvals/", include(approvals.urlpatterns)),
]

from django.urls import path

from portals.insights import requests, views

urlpatterns = [
    path("", views.section_page, name="home"),
    path("requests/", requests.request_list, name="requests"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

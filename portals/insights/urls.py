from django.urls import path

from portals.insights import deals, views

urlpatterns = [
    path("", views.section_page, name="home"),
    # Before the sections' pattern, which would read "deals" as a section's slug.
    path("deals/", deals.deal_list, name="deals"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

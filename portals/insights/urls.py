from django.urls import path

from portals.insights import contacts, deals, views

urlpatterns = [
    path("", views.section_page, name="home"),
    # The lists behind the figures, before the sections' pattern (which would read them as slugs).
    path("deals/", deals.deal_list, name="deals"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

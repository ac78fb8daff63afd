from django.urls import path

from portals.insights import contacts, views

urlpatterns = [
    path("", views.section_page, name="home"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

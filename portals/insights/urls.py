from django.urls import path

from portals.insights import contacts, goals, requests, views

# The rows-behind lists and the goals page come before the sections' route, which takes any slug.
urlpatterns = [
    path("", views.section_page, name="home"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("requests/", requests.request_list, name="requests"),
    # The goals page reads a quarter, not the date range: its own view.
    path("goals/", goals.goals_page, name="goals"),
    path("goals/set/", goals.goal_set_view, name="goal-set"),
    path("goals/<int:pk>/delete/", goals.goal_delete_view, name="goal-delete"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

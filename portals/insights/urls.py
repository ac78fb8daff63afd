from django.urls import path

from portals.insights import contacts, deals, digest_views, goals, recompute, requests, views

# The rows-behind lists, the goals and digest pages come before the sections' route, which takes
# any slug.
urlpatterns = [
    path("", views.section_page, name="home"),
    path("deals/", deals.deal_list, name="deals"),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("requests/", requests.request_list, name="requests"),
    # The goals page reads a quarter, not the date range: its own view.
    path("goals/", goals.goals_page, name="goals"),
    path("goals/set/", goals.goal_set_view, name="goal-set"),
    path("goals/<int:pk>/delete/", goals.goal_delete_view, name="goal-delete"),
    path("digest/", digest_views.digest_page, name="digest"),
    path("digest/recipients/", digest_views.recipient_add_view, name="digest-add"),
    path("digest/recipients/<int:pk>/remove/", digest_views.recipient_remove_view, name="digest-remove"),
    path("digest/send/", digest_views.digest_send_view, name="digest-send"),
    path("recompute/", recompute.recompute_view, name="recompute"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

from django.urls import path

from portals.insights import digest_views, views

urlpatterns = [
    path("", views.section_page, name="home"),
    # Before the sections' <slug:section>/, which "digest/" would match.
    path("digest/", digest_views.digest_page, name="digest"),
    path("digest/recipients/", digest_views.recipient_add_view, name="digest_add"),
    path("digest/recipients/<int:pk>/remove/", digest_views.recipient_remove_view, name="digest_remove"),
    path("digest/send/", digest_views.digest_send_view, name="digest_send"),
    path("<slug:section>/", views.section_page, name="section"),
    path("<slug:section>/export/<slug:key>.<slug:fmt>", views.table_export, name="export"),
]

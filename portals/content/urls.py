from django.urls import path

from portals.content.views import assets, campaigns, customers, events, home, library, permissions

urlpatterns = [
    path("", home.home, name="home"),
    path("assets/", library.asset_list, name="assets"),
    path("assets/new/", assets.asset_new, name="asset-new"),
    path("assets/<int:pk>/", assets.asset_detail, name="asset"),
    path("assets/<int:pk>/edit/", assets.asset_edit, name="asset-edit"),
    path("assets/<int:pk>/file/", assets.asset_file, name="asset-file"),
    path("assets/<int:pk>/act/", assets.asset_act, name="asset-act"),
    path("permissions/", permissions.permission_list, name="permissions"),
    path("permissions/<int:account_id>/", permissions.account_permissions, name="account-permissions"),
    path("customers/", customers.customers, name="customers"),
    path("customers.csv", customers.customers_csv, name="customers-csv"),
    path("customers.json", customers.customers_json, name="customers-json"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/act/", campaigns.campaign_act, name="campaign-act"),
    path("campaigns/<int:pk>/cancel/", campaigns.campaign_cancel, name="campaign-cancel"),
    path("campaigns/<int:pk>/feedback/", campaigns.campaign_feedback, name="campaign-feedback"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event-new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/record/", events.event_record, name="event-record"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event-cancel"),
]

from django.urls import path

from portals.content.views import campaigns, events, home

urlpatterns = [
    path("", home.home, name="home"),
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
]

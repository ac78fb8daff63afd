"""The flows' API routes: tasks, planned events, nominations, content assets, campaigns."""

from django.urls import path

from api.views.flows_assets import AssetDetail, AssetList, AssetUseCreate
from api.views.flows_campaigns import CampaignList
from api.views.flows_events import EventDetail, EventList, EventSignupCreate
from api.views.flows_nominations import NominationDetail, NominationListCreate
from api.views.flows_tasks import TaskDetail

urlpatterns = [
    path("tasks/<int:pk>/", TaskDetail.as_view(), name="api-task"),
    path("events/", EventList.as_view(), name="api-events"),
    path("events/<int:pk>/", EventDetail.as_view(), name="api-event"),
    path("events/<int:pk>/signups/", EventSignupCreate.as_view(), name="api-event-signups"),
    path("nominations/", NominationListCreate.as_view(), name="api-nominations"),
    path("nominations/<int:pk>/", NominationDetail.as_view(), name="api-nomination"),
    path("assets/", AssetList.as_view(), name="api-assets"),
    path("assets/<int:pk>/", AssetDetail.as_view(), name="api-asset"),
    path("assets/<int:pk>/uses/", AssetUseCreate.as_view(), name="api-asset-uses"),
    path("campaigns/", CampaignList.as_view(), name="api-campaigns"),
]

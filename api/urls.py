"""The JSON API at /api/: one route per use case, and the OpenAPI schema at /api/schema/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api.views.requests import RequestDetail, RequestListCreate
from api.views.search import ReferenceSearch
from api.views.workflows import MyTasks, RequestTransitions

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("references/", ReferenceSearch.as_view(), name="api-references"),
    path("requests/", RequestListCreate.as_view(), name="api-requests"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="api-request"),
    path("requests/<int:pk>/transitions/", RequestTransitions.as_view(), name="api-request-transitions"),
    path("tasks/", MyTasks.as_view(), name="api-tasks"),
]

"""The JSON API at /api/: one route per use case, and the OpenAPI schema at /api/schema/.

The program's records (accounts, contacts, deals, activities, notifications) are in
api/urls_program.py, the flows (tasks, events, nominations, content, campaigns) in
api/urls_flows.py, the CRM's upserts in api/urls_crm.py.
"""

from django.urls import include, path
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
    path("", include("api.urls_program")),
    path("", include("api.urls_flows")),
    path("crm/", include("api.urls_crm")),
]

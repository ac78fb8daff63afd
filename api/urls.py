"""The JSON API at /api/: one route per use case, listed at /api/ (api/views/root.py), the
OpenAPI schema at /api/schema/ and Swagger UI over it at /api/docs/.

The program's records (accounts, contacts, deals, activities, notifications) are in
api/urls_program.py, the flows (tasks, events, nominations, content, campaigns) in
api/urls_flows.py, the CRM's upserts in api/urls_crm.py.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from api.views.requests import RequestDetail, RequestListCreate
from api.views.root import ApiDocs, ApiRoot
from api.views.search import ReferenceSearch
from api.views.workflows import MyTasks, RequestTransitions

urlpatterns = [
    path("", ApiRoot.as_view(), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocs.as_view(), name="api-docs"),
    path("references/", ReferenceSearch.as_view(), name="api-references"),
    path("requests/", RequestListCreate.as_view(), name="api-requests"),
    path("requests/<int:pk>/", RequestDetail.as_view(), name="api-request"),
    path("requests/<int:pk>/transitions/", RequestTransitions.as_view(), name="api-request-transitions"),
    path("tasks/", MyTasks.as_view(), name="api-tasks"),
    path("", include("api.urls_program")),
    path("", include("api.urls_flows")),
    path("crm/", include("api.urls_crm")),
]

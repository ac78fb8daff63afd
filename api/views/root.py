"""The API's front door: `/api/` lists its resources, `/api/docs/` shows them in Swagger UI.

The list is made by walking the API's URL patterns, so a new route appears here by being added to
one of the api/urls*.py modules. A route that takes ids is listed as a template (`{pk}`).
"""

import re

from django.contrib.auth.views import redirect_to_login
from django.urls import URLPattern, URLResolver, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import SignedIn

# These are the front door itself, not resources.
NOT_RESOURCES = {"api-root", "api-schema", "api-docs"}
_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def api_routes(patterns, prefix: str = "") -> list[tuple[str, str]]:
    """(name, path template) of every named route under `patterns`, in their order."""
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in NOT_RESOURCES:
            found.append((pattern.name, _CONVERTER.sub(r"{\1}", route)))
    return found


RootSerializer = inline_serializer(
    "ApiRoot",
    {
        "version": serializers.CharField(),
        "resources": serializers.DictField(child=serializers.CharField(), help_text="name → URL"),
        "schema": serializers.CharField(),
        "docs": serializers.CharField(),
    },
)


class ApiRoot(APIView):
    """The API's resources, each by name with its absolute URL (`{pk}` where an id goes)."""

    permission_classes = [SignedIn]

    @extend_schema(responses=RootSerializer)
    def get(self, request: Request) -> Response:
        from api.urls import urlpatterns  # the module that routes here: imported when asked

        base = request.build_absolute_uri(reverse("api-root"))
        resources = {name.removeprefix("api-"): base + route for name, route in api_routes(urlpatterns)}
        return Response(
            {
                "version": request.version,
                "resources": resources,
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
            }
        )


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI over /api/schema/, from drf-spectacular-sidecar's files: the page loads its
    start script from this same address (`?script`), so no inline script or style needs the CSP
    loosened (our template leaves out the stock one's inline <style>)."""

    permission_classes = [SignedIn]
    url_name = "api-schema"
    template_name = "api/swagger_ui.html"
    title = "RMS API"

    def handle_exception(self, exc):
        # A person opening the docs signed out is sent to sign in and brought back.
        if isinstance(exc, NotAuthenticated) and self.request.GET.get("script") is None:
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)

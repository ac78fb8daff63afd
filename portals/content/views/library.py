"""The library as marketing and the reference managers keep it: every asset in every status,
searched and filtered like the reference search, with how often each was used."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role
from portals.shared.library import library_context


@role_required(Role.MARKETING, Role.MANAGER)
@require_GET
def asset_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portals/content/asset_list.html", library_context(request, "assets"))

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import role_required
from core.roles import Role


@role_required(Role.MARKETING, Role.MANAGER)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portals/content/home.html")

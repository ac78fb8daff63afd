from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import role_required
from core.roles import Role


@role_required(Role.MANAGER)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portals/manage/home.html")

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import role_required
from core.roles import Role


@role_required(Role.SALES)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portals/sales/home.html")

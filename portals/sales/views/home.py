"""The sales portal's home: the rep's open deals and the requests waiting on something."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import role_required
from core.roles import Role
from requests_app import selectors


@role_required(Role.SALES)
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "section": "home",
        "deals": selectors.my_opportunities(user=request.user)[:8],
        "open_requests": selectors.my_requests(user=request.user, group="open")[:8],
    }
    return render(request, "portals/sales/home.html", context)

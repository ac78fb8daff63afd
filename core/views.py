"""Sign-in landing and the health endpoints."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import run_readiness_checks
from core.roles import home_url_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in, send each user to their portal's home."""
    return redirect(home_url_for(request.user))


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_role.html", status=403)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachable; 503 naming the failing part otherwise."""
    results = run_readiness_checks()
    failing = {name: error for name, error in results.items() if error}
    body = {
        "status": "ok" if not failing else "unavailable",
        "checks": {name: (error or "ok") for name, error in results.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)

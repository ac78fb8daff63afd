"""Sign-in landing, throttled password reset and the health endpoints."""

import math
import unicodedata

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from core.health import run_readiness_checks
from core.roles import home_url_for
from core.throttle import RateLimit, client_ip

HOUR = 3600


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in, send each user to their portal's home."""
    return redirect(home_url_for(request.user))


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_role.html", status=403)


@require_GET
@cache_control(public=True, max_age=7 * 24 * HOUR)
def favicon(request: HttpRequest) -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says: answer with the icon itself."""
    icon = settings.BASE_DIR / "static" / "favicon.ico"
    return FileResponse(icon.open("rb"), content_type="image/x-icon")


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


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset with two limits per hour: requests per client address (past it, 429
    saying so) and mails per email address (past it, no mail and the usual answer, so the page
    tells nothing about the address)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        per_client = RateLimit(
            "password-reset-client", limit=settings.PASSWORD_RESET_REQUESTS_PER_IP, window=HOUR
        )
        verdict = per_client.hit(client_ip(request) or "unknown")
        if not verdict.allowed:
            minutes = math.ceil(verdict.retry_after / 60)
            response = render(
                request, "registration/password_reset_throttled.html", {"minutes": minutes}, status=429
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        # Counted per address as Django matches it to users (NFKC, case-folded): a look-alike such
        # as "ſally@…" reaches the same user and must share the count.
        address = unicodedata.normalize("NFKC", form.cleaned_data["email"].strip()).casefold()
        per_address = RateLimit(
            "password-reset-address", limit=settings.PASSWORD_RESET_MAILS_PER_ADDRESS, window=HOUR
        )
        if per_address.hit(address).allowed:
            return super().form_valid(form)
        # Past the limit: no mail, and the answer a sent mail gets.
        return HttpResponseRedirect(self.get_success_url())

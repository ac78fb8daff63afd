"""Sign-in throttling on top of django-axes: a limit per user, one per client address, a cool-off.

Axes records every failed password sign-in (`/login/`, `/admin/login/`, anything that calls
`authenticate` with a request and a password) in `AccessAttempt` rows, one per username, address
and user agent, counted up with an F() expression under a row lock, so concurrent failures are
all counted. This module decides with those rows:

- a user is locked after SIGNIN_FAILURES_PER_USER failures from anywhere, an address after
  SIGNIN_FAILURES_PER_ADDRESS failures for any usernames, both within SIGNIN_COOLOFF_MINUTES of
  the last failure; then every attempt, even with the right password, gets the 429 page until the
  cool-off has passed since the last failure (axes has one limit for both; `SignInAttempts` adds
  the second);
- a successful sign-in clears that user's failures, not the address's (one account of one's own
  must not reset an address that is guessing other people's passwords);
- only password sign-ins count: a backend that takes no password (staff single sign-on) is its
  identity provider's to throttle, so `PasswordSignInGate` lets it through and its failures are
  not recorded.

Admins unlock by deleting the rows (the admin's "Access attempts", or `manage.py axes_reset`,
`axes_reset_username`, `axes_reset_ip`).
"""

import math
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class PasswordSignInGate(AxesStandaloneBackend):
    """Axes' gate, first in AUTHENTICATION_BACKENDS: refuses a locked user or address before any
    backend checks a password. Attempts without a password (single sign-on) pass untouched."""

    def authenticate(self, request: HttpRequest, username=None, password=None, **kwargs):
        if password is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _is_password_attempt(credentials: dict | None) -> bool:
    return bool(credentials) and settings.AXES_PASSWORD_FORM_FIELD in credentials


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database handler with two limits (user, address) instead of one."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and not _is_password_attempt(credentials):
            return
        super().user_login_failed(sender, credentials, request, **kwargs)  # records the failure
        if request is None or request.axes_locked_out or not self.is_locked(request, credentials):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        username = get_client_username(request, credentials)
        user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return locked_for(request, credentials) > timedelta(0)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful sign-in: forget the user's failures, keep the address's for others."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def locked_for(request: HttpRequest, credentials: dict | None = None) -> timedelta:
    """How long the user or address of this attempt stays locked (zero when it may sign in)."""
    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials)
    by_user, by_address = Q(username=username), Q(ip_address=request.axes_ip_address)
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
    seen = recent.aggregate(
        user_failures=Sum("failures_since_start", filter=by_user, default=0),
        user_last=Max("attempt_time", filter=by_user),
        address_failures=Sum("failures_since_start", filter=by_address, default=0),
        address_last=Max("attempt_time", filter=by_address),
    )
    until = []
    if seen["user_failures"] >= settings.SIGNIN_FAILURES_PER_USER:
        until.append(seen["user_last"] + cool_off)
    if seen["address_failures"] >= settings.SIGNIN_FAILURES_PER_ADDRESS:
        until.append(seen["address_last"] + cool_off)
    # Rows carry the time they were written (auto_now_add), a little after the request's own.
    now = timezone.now()
    return max([moment - now for moment in until], default=timedelta(0))


def locked_out_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a locked attempt gets (AXES_LOCKOUT_CALLABLE): 429, our layout, how long to wait;
    the same whether or not the username exists."""
    remaining = locked_for(request, credentials) or get_cool_off(request)
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response

"""Sign-in throttling on top of django-axes: a limit per user, one per client address, a cool-off.

Axes records every failed password sign-in (`/login/`, `/admin/login/`, anything that calls
`authenticate` with a request and a password) in `AccessAttempt` rows, one per username, address
and user agent, counted up with an F() expression under a row lock. This module decides with those
rows:

- a user is locked after SIGNIN_FAILURES_PER_USER failures from anywhere, an address after
  SIGNIN_FAILURES_PER_ADDRESS failures for any usernames, both within SIGNIN_COOLOFF_MINUTES of
  the last failure; then every attempt, even with the right password, gets the 429 page until the
  cool-off has passed since the last failure (axes has one limit for both; `SignInAttempts` adds
  the second);
- checking and counting are one step, so a burst of simultaneous guesses cannot slip past the
  count: before any password is checked, the gate counts the attempt as a failure (committed at
  once: the sign-in views run in no transaction), then reads the totals, and lets the attempt
  through only if they, this attempt included, are within both limits. Whoever counted later sees
  everyone counted before, so of any number of simultaneous attempts at most
  SIGNIN_FAILURES_PER_USER passwords of one user (SIGNIN_FAILURES_PER_ADDRESS from one address)
  are checked, fewer when later ones are counted before earlier ones read. A failed check is not
  counted twice; a successful sign-in takes its count back with the user's other failures. Nothing
  waits on a lock, so colleagues behind one office address sign in side by side; while a password
  is being checked the admin shows it as a failure (for the moment the hash takes);
- a successful sign-in clears that user's failures, not the address's (one account of one's own
  must not reset an address that is guessing other people's passwords). Caution: the count is
  given back by `login` (axes' user_logged_in), so code that calls `authenticate` with a password
  without then signing the user in leaves a failure counted;
- only password sign-ins count: a backend that takes no password (staff single sign-on) is its
  identity provider's to throttle, so `PasswordSignInGate` lets it through and its failures are
  not recorded.

Everything lives in the rows, so admins unlock by deleting them (the admin's "Access attempts", or
`manage.py axes_reset`, `axes_reset_username`, `axes_reset_ip`); there is no other state to clear.
"""

import math
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def session_user(user_id):
    """The signed-in user of a session, with the one-to-one rows every page reads
    (settings.SESSION_USER_RELATED, e.g. the staff calendar whose zone times are shown in) joined
    in the same query. Django's rule kept: an inactive user's session ends."""
    users = get_user_model()._default_manager.select_related(*settings.SESSION_USER_RELATED)
    user = users.filter(pk=user_id).first()
    return user if user is not None and ModelBackend().user_can_authenticate(user) else None


class PasswordSignInGate(AxesStandaloneBackend):
    """Axes' gate, first in AUTHENTICATION_BACKENDS: refuses a locked user or address before any
    backend checks a password. Attempts without a password (single sign-on) pass untouched."""

    def authenticate(self, request: HttpRequest, username=None, password=None, **kwargs):
        if password is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        return session_user(user_id)


class PasswordBackend(ModelBackend):
    """Django's username and password backend; its sessions load the user by `session_user`."""

    def get_user(self, user_id):
        return session_user(user_id)


def _is_password_attempt(credentials: dict | None) -> bool:
    return bool(credentials) and settings.AXES_PASSWORD_FORM_FIELD in credentials


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database handler with two limits (user, address) instead of one, that counts a
    password attempt before the password is checked."""

    def is_allowed(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        """The gate's question. A password attempt is counted first (it takes a slot), then let
        through if the totals, its own slot included, are within both limits."""
        if _is_password_attempt(credentials) and not self.is_whitelisted(request, credentials):
            self._count(None, credentials, request)  # counts this attempt
            request.signin_slot_taken = True
        return super().is_allowed(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and not _is_password_attempt(credentials):
            return
        if not (request is not None and request.__dict__.pop("signin_slot_taken", False)):
            self._count(sender, credentials, request, **kwargs)  # not counted by the gate
        if request is None or request.axes_locked_out or not self.is_locked(request, credentials):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        username = get_client_username(request, credentials)
        user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)

    def _count(self, sender, credentials: dict, request, **kwargs) -> None:
        """Record a failure. Axes' get_or_create of the row can lose a race with a sign-in or an
        unlock deleting it (IntegrityError, its savepoint rolled back): count again."""
        for attempt in range(3):
            try:
                super().user_login_failed(sender, credentials, request, **kwargs)
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        own_slot = getattr(request, "signin_slot_taken", False)
        return locked_for(request, credentials, own_slot=own_slot) > timedelta(0)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful sign-in: forget the user's failures (its own slot too), keep the
        address's for others."""
        request.__dict__.pop("signin_slot_taken", None)
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def forget_old_sign_ins() -> int:
    """Delete axes' records of sign-ins (successes and logged failures) older than SIGNIN_LOG_DAYS;
    returns how many went. Lock-out counts (AccessAttempt) are not touched: they expire by cool-off."""
    cutoff = timezone.now() - timedelta(days=settings.SIGNIN_LOG_DAYS)
    removed, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return removed + failures


def right_password_refused(request: HttpRequest, username: str) -> None:
    """For a form that turns away a user whose password was right (the admin refusing a rep): give
    back what the gate counted, as a sign-in would; a right password never counts as a failure."""
    request.__dict__.pop("signin_slot_taken", None)
    AccessAttempt.objects.filter(username=username).delete()


def locked_for(request: HttpRequest, credentials: dict | None = None, *, own_slot: bool = False) -> timedelta:
    """How long the user or address of this attempt stays locked (zero when it may sign in).

    `own_slot`: this attempt is already counted and not yet checked; it may go on while the totals
    with it are within the limits."""
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
    spare = 1 if own_slot else 0
    until = []
    if seen["user_failures"] >= settings.SIGNIN_FAILURES_PER_USER + spare:
        until.append(seen["user_last"] + cool_off)
    if seen["address_failures"] >= settings.SIGNIN_FAILURES_PER_ADDRESS + spare:
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

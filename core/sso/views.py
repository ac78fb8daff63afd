"""Start and finish an SSO sign-in; 404 while SSO is not configured."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.sso.provider import SsoUnavailable, provider, sso_enabled

LOGGER = logging.getLogger(__name__)
FAILED = "Single sign-on did not sign you in. Try again, or sign in with your password."
UNAVAILABLE = "Single sign-on is unavailable right now. Try again later, or sign in with your password."


class SignInView(auth_views.LoginView):
    """The sign-in page: username and password, and the SSO button when SSO is configured."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"sso_enabled": sso_enabled()}


class SsoAuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library reads endpoints here; we find them per request

    def get(self, request) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except SsoUnavailable as error:
            LOGGER.error("SSO unavailable: %s", error)
            messages.error(request, UNAVAILABLE)
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; the backend verifies and signs in (or nobody)."""

    def get(self, request) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            return super().get(request)
        except SsoUnavailable as error:
            LOGGER.error("SSO unavailable: %s", error)
            messages.error(request, UNAVAILABLE)
            return redirect("login")
        except (SuspiciousOperation, requests.RequestException) as error:
            # A forged or replayed callback, a refused token, a provider error: nobody signs in.
            LOGGER.warning("SSO sign-in failed: %s", error)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, FAILED)
        return redirect("login")

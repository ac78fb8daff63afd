"""Signing in to the customer portal with a magic link, and signing out (customers.links).

- `sign-in/`: the contact types their address; the answer is the same page for every address
  (and the same refusal when a rate limit holds), so it tells nobody whether an address is known.
- `link/<token>/`: a GET shows Continue and changes nothing (mail scanners open links); the POST
  signs in, sets the portal cookie and redirects to the link's page, so the token leaves the
  address bar. A dead link (expired, used, replaced, mistyped) shows one page that offers a new
  link, sent to whoever the old one was for (`link/<token>/renew/`, rate-limited like sign-in).
- `sign-out/` (POST) ends the session on the server.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from core.throttle import client_ip
from customers.links import (
    is_portal_path,
    portal_home,
    portal_link_renew_request,
    portal_link_request,
    portal_link_sign_in,
    portal_link_usable,
)
from customers.sessions import portal_session_end
from portals.customer.access import contact_required, public_portal_page

PAGES = require_http_methods(["GET", "HEAD", "POST"])


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean_next(self) -> str:
        path = self.cleaned_data["next"]
        return path if is_portal_path(path) else ""  # never a page off the portal: dropped, not refused


def _context(**extra) -> dict:
    return {"company": settings.COMPANY_NAME, **extra}


@PAGES
@public_portal_page
def sign_in(request):
    """Ask for a sign-in link: the same answer whatever the address."""
    if request.method != "POST":
        form = SignInForm(initial={"next": _next_from(request)})
        return render(request, "portals/customer/sign_in.html", _context(form=form))
    form = SignInForm(request.POST)
    if not form.is_valid():
        return render(request, "portals/customer/sign_in.html", _context(form=form), status=400)
    asked = portal_link_request(
        email=form.cleaned_data["email"], next_path=form.cleaned_data["next"], client=client_ip(request)
    )
    if not asked:
        return _too_many(request)
    return render(request, "portals/customer/sign_in_sent.html", _context())


def _next_from(request) -> str:
    path = request.GET.get("next", "")
    return path if is_portal_path(path) else ""


def _too_many(request) -> HttpResponse:
    """The refusal of a rate limit: one page, whichever limit refused and whoever the address is."""
    response = render(request, "portals/customer/sign_in_refused.html", _context(), status=429)
    response["Retry-After"] = "3600"  # the limits count per hour; a constant says nothing more
    return response


@PAGES
@public_portal_page
def link(request, token: str):
    """A magic link: GET shows Continue, POST signs in once and opens the link's page."""
    if request.method == "POST":
        signed_in = portal_link_sign_in(token=token)
        if signed_in is None:
            response = _dead_link(request, token, status=410)
        else:
            if request.portal_session is not None:  # another sign-in in this browser ends here
                portal_session_end(session=request.portal_session)
            response = redirect(signed_in.next_path)
            _set_portal_cookie(response, signed_in.raw_key)
    elif portal_link_usable(token):
        response = render(request, "portals/customer/link_continue.html", _context(token=token))
    else:
        response = _dead_link(request, token)
    # The Referer carries only our origin, never the path with the token. Not "no-referrer":
    # with it the browser posts Continue with "Origin: null", which CSRF protection refuses.
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _dead_link(request, token: str, status: int = 200) -> HttpResponse:
    return render(request, "portals/customer/link_dead.html", _context(token=token), status=status)


def _set_portal_cookie(response: HttpResponse, raw_key: str) -> None:
    response.set_cookie(
        settings.PORTAL_COOKIE,
        raw_key,
        max_age=settings.PORTAL_SESSION_HOURS * 3600,
        path=portal_home(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
@public_portal_page
def link_renew(request, token: str):
    """Email a new link to whoever a dead link was for; the same answer for any token."""
    if not portal_link_renew_request(token=token, client=client_ip(request)):
        response = _too_many(request)
    else:
        response = render(request, "portals/customer/link_renewed.html", _context())
    response["Referrer-Policy"] = "strict-origin"
    return response


@require_POST
@contact_required
def sign_out(request):
    """End the portal session on the server; the cookie goes too."""
    portal_session_end(session=request.portal_session)
    messages.success(request, gettext("You have signed out."))
    response = redirect("customer:sign-in")
    response.delete_cookie(settings.PORTAL_COOKIE, path=portal_home(), samesite="Lax")
    return response

"""How every portal answers an htmx fragment request and a refused action."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import DomainError


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not a boosted full-page navigation)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render_refused(request: HttpRequest, template: str, context: dict, error: DomainError) -> HttpResponse:
    """Show the page again with the refusal as a message, answering 400/403/409.

    Only for an object the user may see: the caller re-reads it through the user's scope before
    building `context` (outside it, the answer is a 404 that shows nothing). A NotAllowed (403)
    refuses an action, never the sight of the object."""
    messages.error(request, error.message)
    return render(request, template, context, status=error.http_status)


def tell_what_was_cut(request: HttpRequest, form) -> None:
    """Say, on the page, which over-long filter text a `CutToFitMixin` form cut to fit."""
    for notice in getattr(form, "cut_notices", ()):
        messages.warning(request, notice)

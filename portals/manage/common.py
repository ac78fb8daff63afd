"""Shared plumbing of the manager portal's views: paging and showing a domain error."""

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import DomainError

PAGE_SIZE = 50


def paginate(request: HttpRequest, rows, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def render_refused(request: HttpRequest, template: str, context: dict, error: DomainError) -> HttpResponse:
    """Show the page again with the refusal as a message, answering 400/403/409."""
    messages.error(request, error.message)
    return render(request, template, context, status=error.http_status)


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

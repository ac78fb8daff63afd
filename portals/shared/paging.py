"""Paging and query strings, the same on every portal's lists."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 25


def paginate(request: HttpRequest, rows, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for (the last one past the end, the first one for nonsense)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without(params: QueryDict, *names: str, **replace) -> str:
    """The query string of `params` without `names` (and without the page position), plus `replace`."""
    params = params.copy()
    for name in (*names, "after", "page"):
        params.pop(name, None)
    for name, value in replace.items():
        params[name] = value
    return params.urlencode()

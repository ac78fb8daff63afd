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


def ids_param(params: QueryDict, name: str, limit: int = 10) -> list[int]:
    """The positive integer values of a repeated parameter, in order, without repeats."""
    ids = []
    for raw in params.getlist(name):
        if raw.strip().isdigit() and 0 < int(raw) < 2**31 and int(raw) not in ids:
            ids.append(int(raw))
    return ids[:limit]

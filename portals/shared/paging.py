"""Paging and query strings, the same on every portal's lists."""

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 25


def paginate(request: HttpRequest, rows, per_page: int = PAGE_SIZE) -> Page:
    """The page `?page=` asks for (the last one past the end, the first one for nonsense)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


class PageNumberForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


def paginate_counted(request: HttpRequest, rows: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """`paginate` in one query for rows that are costly to find (a list behind an insights
    figure): each row of the page carries the total (`COUNT(*) OVER ()`), so the rows are found
    once, not once to count them and again for the page. A page past the end counts apart and
    answers the last page, as `paginate` does; nonsense answers the first."""
    asked = PageNumberForm(request.GET)
    number = (asked.cleaned_data["page"] if asked.is_valid() else None) or 1
    found = list(rows.annotate(rows_total=Window(Count("*")))[(number - 1) * per_page : number * per_page])
    paginator = Paginator(rows, per_page)
    if not found:
        return paginator.get_page(number)
    paginator.count = found[0].rows_total if hasattr(found[0], "rows_total") else found[0]["rows_total"]
    return Page(found, number, paginator)


def query_without(params: QueryDict, *names: str, **replace) -> str:
    """The query string of `params` without `names` (and without the page position), plus `replace`."""
    params = params.copy()
    for name in (*names, "after", "page"):
        params.pop(name, None)
    for name, value in replace.items():
        params[name] = value
    return params.urlencode()

"""The content library's search page, the same for marketing (/content/assets/) and sales
(/sales/content/): what each sees is `Asset.objects.visible_to(user)` and its facets."""

from django.http import HttpRequest

from marketing.forms import AssetSearchForm
from marketing.search import search_assets
from portals.shared.paging import paginate, query_without
from portals.shared.responses import tell_what_was_cut


def library_context(request: HttpRequest, section: str, *, published_only: bool = False) -> dict:
    """One page of the assets `request.user` may see that match the query, with the facets
    (`published_only`: the sales library's, content to use)."""
    form = AssetSearchForm(request.GET, user=request.user)
    tell_what_was_cut(request, form)
    found = search_assets(user=request.user, filters=form.filters(), published_only=published_only)
    return {
        "section": section,
        "form": form,
        "found": found,
        "page": paginate(request, found.rows),
        "page_query": query_without(request.GET),
    }

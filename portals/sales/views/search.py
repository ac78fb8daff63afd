"""Find references: start from a deal, filter by facets and words, read why each one matches.

The page is a plain GET form (shareable URL, works without JavaScript); with htmx, changing a
filter swaps in the facets and results only. The search itself is `matching.selectors`.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import Role
from marketing.evidence import EvidenceOffer, evidence_offer
from matching.forms import SearchForm
from matching.selectors import (
    Filters,
    SearchPage,
    reference_detail,
    search_references,
    target_for_opportunity,
    target_from_filters,
)
from portals.shared.paging import query_without
from portals.shared.responses import is_htmx
from requests_app.selectors import opportunity_detail, opportunity_for_search


def _deal_and_target(request: HttpRequest, form: SearchForm, filters: Filters):
    """The rep's deal named by the form (404 if it is not theirs) and the target it gives."""
    deal = None
    if form.value_of("opportunity"):
        deal = opportunity_for_search(user=request.user, pk=form.value_of("opportunity"))
    role = form.value_of("role")
    target = (
        target_for_opportunity(deal, persona_id=role)
        if deal
        else target_from_filters(filters, persona_id=role)
    )
    return deal, target


PAGE_TEMPLATE = "portals/sales/search.html"
RESULTS_TEMPLATE = "portals/sales/_search_body.html"  # what htmx swaps in when a filter changes


@role_required(Role.SALES)
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    template = RESULTS_TEMPLATE if is_htmx(request) else PAGE_TEMPLATE
    response = render(request, template, search_context(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


def search_context(request: HttpRequest) -> dict:
    """The search page's context for `request`'s query: one search, and the links around it
    (also what bench/render.py renders, to time the templates alone)."""
    form = SearchForm(request.GET)
    form.is_valid()  # a malformed value is shown as an error and left out of the search
    filters = form.filters()
    deal, target = _deal_and_target(request, form, filters)
    page = search_references(filters=filters, target=target, after=form.cursor())
    return {
        "section": "search",
        "form": form,
        "filters": filters,
        "deal": deal,
        "page": page,
        "relax_links": [(r, query_without(request.GET, r.key)) for r in page.relaxations],
        "next_query": query_without(request.GET, after=str(page.next_cursor)) if page.next_cursor else "",
        "first_query": query_without(request.GET),
        "later_page": form.cursor() is not None,
        "request_query": _request_query(form, filters),
        "detail_query": urlencode(_request_query(form, filters)),
        "role": form.value_of("role"),
        "evidence": _evidence(request, filters, page, later=form.cursor() is not None),
    }


def _evidence(
    request: HttpRequest, filters: Filters, page: SearchPage, *, later: bool
) -> EvidenceOffer | None:
    """Evidence instead of a call: the content that fits the search when every reference it
    finds is at a limit now, by the cards' live availability. Judged on the first page: it is
    every match when the search finds a page or less, and otherwise the best-ranked ones, whose
    order puts those with free slots first (stored usage), so a held first page means the
    references further down are held too, as far as the last limits run knows."""
    cards = page.cards
    if later or not cards or any(not card.resting for card in cards):
        return None
    days = [card.available_from for card in cards if card.available_from]
    return evidence_offer(
        user=request.user,
        free_from=min(days) if days else None,
        industry=filters.industry,
        product=filters.product,
        use_case=filters.use_case,
    )


def _request_query(form: SearchForm, filters: Filters) -> dict:
    """What a request started from this search carries over: the deal, role and activity."""
    carried = {"opportunity": form.value_of("opportunity"), "role": form.value_of("role")}
    if len(filters.activity) == 1:
        carried["activity"] = filters.activity[0]
    return {name: value for name, value in carried.items() if value}


@role_required(Role.SALES)
@require_GET
def find_for_opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Find references" on a deal: the search, pre-filled with the deal's industry, products and
    region (each can then be dropped)."""
    deal = opportunity_detail(user=request.user, pk=pk)
    params = {
        "opportunity": deal.pk,
        "industry": deal.industry_id,
        "product": [product.pk for product in deal.products.all()],
        "region": deal.country.region_id,
    }
    return redirect(f"{reverse('sales:search')}?{urlencode(params, doseq=True)}")


@role_required(Role.SALES)
@require_GET
def reference(request: HttpRequest, contact_id: int) -> HttpResponse:
    """One reference as a rep sees it (never email or phone), graded against the deal if given."""
    form = SearchForm(request.GET)
    form.is_valid()
    deal, target = _deal_and_target(request, form, Filters())
    # Counted for the search's one activity type, as the card that linked here was.
    activity = form.filters().activity
    card = reference_detail(
        contact_id=contact_id, target=target, activity_type_id=activity[0] if len(activity) == 1 else None
    )
    if card is None:
        raise Http404("This reference is not available.")
    # The search's filters came along in the link: its one activity type pre-fills the request.
    request_query = {"contact": card.contact_id, **_request_query(form, form.filters())}
    context = {
        "section": "search",
        "card": card,
        "deal": deal,
        "request_query": urlencode(request_query),
        "back_query": request.GET.urlencode(),
    }
    return render(request, "portals/sales/reference_detail.html", context)

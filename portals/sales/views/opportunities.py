"""The rep's deals: the list, adding one, editing one, and a deal's page with "Find references"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.sales.forms import OpportunityListForm
from portals.shared.paging import paginate, query_without
from portals.shared.responses import tell_what_was_cut
from references.models import Opportunity
from requests_app import selectors
from requests_app.deals import editable_fields, opportunity_create, opportunity_update
from requests_app.forms import OpportunityForm, opportunity_edit_form


@role_required(Role.SALES)
def opportunity_list(request: HttpRequest) -> HttpResponse:
    form = OpportunityListForm(request.GET)
    tell_what_was_cut(request, form)
    outcome, q = form.value("outcome", "open"), form.value("q", "")
    rows = selectors.my_opportunities(user=request.user, outcome=outcome, q=q)
    context = {
        "section": "opportunities",
        "page": paginate(request, rows),
        "outcome": outcome if outcome in Opportunity.Outcome.values else "",
        "outcomes": Opportunity.Outcome.choices,
        "q": q,
        "form": form,
        "page_query": query_without(request.GET),
    }
    return render(request, "portals/sales/opportunity_list.html", context)


@role_required(Role.SALES)
@require_http_methods(["GET", "POST"])
def opportunity_new(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deal = opportunity_create(owner=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{deal} is added to your deals.")
            return redirect("sales:opportunity", pk=deal.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "portals/sales/opportunity_form.html",
        {"section": "opportunities", "form": form},
        status=status,
    )


@role_required(Role.SALES)
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = selectors.opportunity_detail(user=request.user, pk=pk)
    requests = selectors.my_requests(user=request.user, opportunity_id=deal.pk, sort="-created")
    context = {
        "section": "opportunities",
        "deal": deal,
        "requests": requests,
        "can_edit": bool(editable_fields(deal, request.user)),
    }
    return render(request, "portals/sales/opportunity_detail.html", context)


@role_required(Role.SALES)
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner edits their deal; a deal-team member its stage and close date while it is open.
    Anyone else's deal is a 404 (they cannot see it)."""
    deal = selectors.opportunity_detail(user=request.user, pk=pk)
    if not editable_fields(deal, request.user):
        raise PermissionDenied("Only the deal's owner changes it, and its team while it is open.")
    form = opportunity_edit_form(deal, owner=deal.owner_id == request.user.pk, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deal = opportunity_update(opportunity=deal, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{deal} is saved.")
            return redirect("sales:opportunity", pk=deal.pk)
    context = {"section": "opportunities", "form": form, "deal": deal}
    status = 400 if form.errors else 200
    return render(request, "portals/sales/opportunity_edit.html", context, status=status)

"""Nominate a customer as a new reference, and follow one's nominations."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.permissions import role_required
from core.roles import ACCOUNT_OWNER_ROLES, Role
from portals.sales.forms import AccountSearchForm
from portals.shared.nomination_forms import ConsentForm
from portals.shared.paging import paginate
from portals.shared.responses import render_refused, tell_what_was_cut
from requests_app import selectors
from requests_app.forms import NominationForm
from workflows.nomination_selectors import nomination_for_owner
from workflows.nominations import nomination_consent, nomination_submit


@role_required(Role.SALES)
def nomination_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.my_nominations(user=request.user))
    return render(request, "portals/sales/nomination_list.html", {"section": "nominations", "page": page})


@role_required(Role.SALES)
def nomination_account(request: HttpRequest) -> HttpResponse:
    """Step 1: find the customer account by name."""
    form = AccountSearchForm(request.GET)
    tell_what_was_cut(request, form)
    q = form.value("q", "")
    accounts = selectors.accounts_to_nominate(user=request.user, q=q)
    context = {"section": "nominations", "q": q, "accounts": accounts, "form": form}
    return render(request, "portals/sales/nomination_account.html", context)


@role_required(Role.SALES)
@require_http_methods(["GET", "POST"])
def nomination_new(request: HttpRequest, account_pk: int) -> HttpResponse:
    """Step 2: who at that account, why, and what they might do."""
    account = selectors.account_for_nomination(user=request.user, pk=account_pk)
    form = NominationForm(request.POST or None, contacts=selectors.contacts_for_nomination(account))
    if request.method == "POST" and form.is_valid():
        try:
            nomination_submit(nominator=request.user, account=account, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"Thank you — your nomination of {account} goes to the reference program."
            )
            return redirect("sales:nominations")
    context = {"section": "nominations", "account": account, "form": form}
    return render(request, "portals/sales/nomination_form.html", context, status=400 if form.errors else 200)


@role_required(*ACCOUNT_OWNER_ROLES)
@require_http_methods(["GET", "POST"])
def nomination_consent_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The account owner's consent to a nomination of their account (the task on their list)."""
    nomination = nomination_for_owner(user=request.user, pk=pk)
    form = ConsentForm(request.POST or None)
    template = "portals/sales/nomination_consent.html"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination_consent(
                nomination_id=nomination.pk,
                actor=request.user,
                give=data["answer"] == "give",
                note=data["note"],
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_domain_error(error)
            else:
                nomination = nomination_for_owner(user=request.user, pk=pk)
                return render_refused(request, template, _consent_context(nomination, form), error)
        else:
            messages.success(request, "Thank you — the reference program has your answer.")
            return redirect("tasks:list")
    status = 400 if form.errors else 200
    return render(request, template, _consent_context(nomination, form), status=status)


def _consent_context(nomination, form) -> dict:
    return {"section": "nominations", "nomination": nomination, "form": form}

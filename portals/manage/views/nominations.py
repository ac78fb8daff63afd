"""The nominations queue and a nomination's page: health checks, qualify (the owner's consent as
a task), answer for an absent owner, accept (the contact made a reference with recruitment
tasks) or decline with a reason the nominator reads. Moves go through `workflows.nominations`."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.manage.nomination_forms import AcceptForm, DeclineForm, QualifyForm, QueueFilterForm
from portals.manage.views import PAGE_SIZE
from portals.shared.nomination_forms import ConsentForm
from portals.shared.paging import paginate, query_without
from requests_app.models import Nomination
from workflows import nomination_selectors as selectors
from workflows.nominations import (
    nomination_accept,
    nomination_consent,
    nomination_decline,
    nomination_qualify,
)

TEMPLATE = "portals/manage/nomination_detail.html"


@role_required(Role.MANAGER)
def nomination_list(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    rows = selectors.nomination_queue(user=request.user, filters=form.filters())
    page = paginate(request, rows, per_page=PAGE_SIZE)
    context = {"form": form, "page": page, "page_query": query_without(request.GET), "section": "nominations"}
    return render(request, "portals/manage/nominations.html", context)


def _context(request: HttpRequest, pk: int, **forms) -> dict:
    nomination = selectors.nomination_for_manager(user=request.user, pk=pk)
    suggestions = []
    if nomination.account_id is None and nomination.is_pending:
        suggestions = list(selectors.accounts_matching(nomination.company_name))
    return {
        "nomination": nomination,
        "health": selectors.nomination_health(nomination),
        "suggestions": suggestions,
        "qualify_form": forms.get("qualify") or QualifyForm(initial={"expected_status": nomination.status}),
        "accept_form": forms.get("accept") or AcceptForm(initial={"expected_status": nomination.status}),
        "decline_form": forms.get("decline") or DeclineForm(initial={"expected_status": nomination.status}),
        "consent_form": forms.get("consent") or ConsentForm(),
        "section": "nominations",
    }


@role_required(Role.MANAGER)
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, TEMPLATE, _context(request, pk))


def _act(
    request: HttpRequest, pk: int, form, name: str, move: Callable[[dict], Nomination], done: str
) -> HttpResponse:
    """Parse, move through the service, and answer: back to the page with a message, or the page
    again with the form's errors (400) or the refusal (400/403/409)."""
    selectors.nomination_for_manager(user=request.user, pk=pk)  # outside the scope: 404 first
    if form.is_valid():
        try:
            move(form.cleaned_data)
        except DomainError as error:
            if error.field and error.field in form.fields:
                form.add_domain_error(error)
                return render(
                    request, TEMPLATE, _context(request, pk, **{name: form}), status=error.http_status
                )
            messages.error(request, error.message)
            return render(request, TEMPLATE, _context(request, pk), status=error.http_status)
        messages.success(request, done)
        return redirect("manage:nomination", pk)
    return render(request, TEMPLATE, _context(request, pk, **{name: form}), status=400)


@role_required(Role.MANAGER)
@require_POST
def nomination_qualify_view(request: HttpRequest, pk: int) -> HttpResponse:
    def move(data: dict) -> Nomination:
        return nomination_qualify(
            nomination_id=pk,
            actor=request.user,
            account=data["account"],
            expected_status=data["expected_status"],
        )

    done = "Qualifying: the account owner is asked for consent."
    return _act(request, pk, QualifyForm(request.POST), "qualify", move, done)


@role_required(Role.MANAGER)
@require_POST
def nomination_consent_view(request: HttpRequest, pk: int) -> HttpResponse:
    def move(data: dict) -> Nomination:
        give = data["answer"] == "give"
        return nomination_consent(
            nomination_id=pk, actor=request.user, give=give, note=data["note"], on_behalf=True
        )

    return _act(request, pk, ConsentForm(request.POST), "consent", move, "The owner's answer is recorded.")


@role_required(Role.MANAGER)
@require_POST
def nomination_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    def move(data: dict) -> Nomination:
        return nomination_accept(
            nomination_id=pk,
            actor=request.user,
            persona=data["persona"],
            email=data["email"],
            expected_status=data["expected_status"],
        )

    done = "Accepted: the contact is a reference, and the recruitment tasks are on your list."
    return _act(request, pk, AcceptForm(request.POST), "accept", move, done)


@role_required(Role.MANAGER)
@require_POST
def nomination_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    def move(data: dict) -> Nomination:
        return nomination_decline(
            nomination_id=pk,
            actor=request.user,
            reason=data["reason"],
            expected_status=data["expected_status"],
        )

    return _act(request, pk, DeclineForm(request.POST), "decline", move, "Declined: the nominator sees why.")

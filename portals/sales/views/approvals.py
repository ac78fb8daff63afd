"""Account-owner approvals in the sales portal: an owner answers the requests to use their own
accounts, with a comment. Anyone else's approval is a 404; the answer goes through the workflow
service, which checks again that the user owns the account."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.shared.responses import render_refused
from portals.shared.transitions import take_transition
from requests_app.models import ReferenceRequest
from workflows.selectors import (
    OWNER_ACTIONS,
    availability,
    collisions,
    contact_usage,
    owned_requests,
    owner_approvals,
    request_detail,
)
from workflows.transitions import available_transitions


@role_required(Role.SALES, Role.MANAGER)
def approval_list(request: HttpRequest) -> HttpResponse:
    pending, answered = owner_approvals(request.user)
    return render(
        request,
        "portals/sales/approvals.html",
        {"pending": pending, "answered": answered, "section": "approvals"},
    )


def _owned_detail(request: HttpRequest, pk: int) -> ReferenceRequest:
    if not owned_requests(request.user).filter(pk=pk).exists():
        raise Http404("No such approval.")
    return request_detail(pk)


def _context(request: HttpRequest, ref_request: ReferenceRequest) -> dict:
    contact = ref_request.chosen_contact
    actions = [t for t in available_transitions(ref_request, request.user) if t.action in OWNER_ACTIONS]
    return {
        "req": ref_request,
        "contact": contact,
        "usage": contact_usage([contact.pk]).get(contact.pk),
        "limits": availability(ref_request, [contact])[contact.pk],
        "collisions": collisions(ref_request, [contact]),
        "actions": actions,
        "section": "approvals",
    }


@role_required(Role.SALES, Role.MANAGER)
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ref_request = _owned_detail(request, pk)
    return render(request, "portals/sales/approvals_detail.html", _context(request, ref_request))


@role_required(Role.SALES, Role.MANAGER)
@require_POST
def approval_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _owned_detail(request, pk)
    try:
        moved = take_transition(request, request_id=pk, actions=OWNER_ACTIONS)
    except DomainError as error:
        # Shown again only while the request still names one of the user's accounts (a 404 if it
        # moved to another account's contact meanwhile): a refusal never shows what they may not see.
        context = _context(request, _owned_detail(request, pk))
        return render_refused(request, "portals/sales/approvals_detail.html", context, error)
    approved = request.POST.get("action") == "owner_approve"
    verb = "approved — the program will now ask the customer" if approved else "declined"
    messages.success(request, f"Request #{moved.pk} {verb}.")
    return redirect("sales:approvals")

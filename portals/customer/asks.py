"""My asks and Verify a request: the customer's answers to asks, and the check of a code.

Every ask is read from the signed-in contact (customers.asks): another contact's request id is a
404, for the page and for its forms alike. Accepting and declining go through the workflow's one
mover, `request_transition(customer=…)`, like any other actor's move.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import Conflict, DomainError
from core.throttle import RateLimit, client_ip
from customers.asks import Ask, ask_by_code, open_ask, open_asks
from customers.feedback import requests_for_feedback
from portals.customer.access import contact_required
from portals.customer.ask_forms import AcceptForm, DeclineForm, VerifyForm
from workflows.customer_notices import company_name
from workflows.services import request_transition

# Codes cannot be guessed: 10 checks an hour per contact, 30 per client address (an office's
# people may share one).
VERIFY_PER_CONTACT = RateLimit("portal-verify-contact", limit=10, window=3600)
VERIFY_PER_ADDRESS = RateLimit("portal-verify-ip", limit=30, window=3600)


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"company": company_name(), **context}, status=status)


@contact_required
@require_safe
def ask_list(request: HttpRequest) -> HttpResponse:
    return _page(request, "portals/customer/asks.html", {"asks": open_asks(request.contact)})


def _detail(request: HttpRequest, ask: Ask, status: int = 200, **forms) -> HttpResponse:
    context = {
        "ask": ask,
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
    }
    return _page(request, "portals/customer/ask_detail.html", context, status)


@contact_required
@require_safe
def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One open ask. An ask that has since taken place opens its feedback page instead (an email
    about the ask, read after the activity, still leads somewhere); anything else is a 404."""
    try:
        ask = open_ask(request.contact, pk)
    except Http404:
        if requests_for_feedback(request.contact).filter(pk=pk).exists():
            messages.info(request, _("This request is no longer open"))
            return redirect("customer:feedback", pk=pk)
        raise
    return _detail(request, ask)


def _moved_meanwhile(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone moved the request since the page was shown (the manager scheduled or withdrew it)."""
    messages.warning(
        request,
        _(
            "This request changed while you were answering it; here is where it stands now. "
            "Nothing you sent was saved."
        ),
    )
    still_open = [ask.pk for ask in open_asks(request.contact)]
    return redirect("customer:ask", pk=pk) if pk in still_open else redirect("customer:asks")


@contact_required
@require_POST
def ask_accept(request: HttpRequest, pk: int) -> HttpResponse:
    ask = open_ask(request.contact, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            request_transition(
                request_id=ask.pk,
                action="accept_ask",
                actor=None,
                customer=request.contact,
                note=form.cleaned_data["note"],
                expected_status=ask.status,
                slots=form.payload(),
            )
        except Conflict:
            return _moved_meanwhile(request, pk)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Thank you! The reference program will confirm one of your times."))
            return redirect("customer:ask", pk=pk)
    return _detail(request, ask, status=400, accept_form=form)


@contact_required
@require_POST
def ask_decline(request: HttpRequest, pk: int) -> HttpResponse:
    ask = open_ask(request.contact, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            request_transition(
                request_id=ask.pk,
                action="decline_ask",
                actor=None,
                customer=request.contact,
                note=form.cleaned_data["reason"],
                expected_status=ask.status,
            )
        except Conflict:
            return _moved_meanwhile(request, pk)
        except DomainError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request, _("Thank you for letting us know. We will not ask you for this one again.")
            )
            return redirect("customer:asks")
    return _detail(request, ask, status=400, decline_form=form)


@contact_required
def verify(request: HttpRequest) -> HttpResponse:
    """Check a code: is it a genuine, approved ask to me, who made it and what for."""
    form = VerifyForm(request.POST or None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        verdicts = (
            VERIFY_PER_CONTACT.hit(str(request.contact.pk)),
            VERIFY_PER_ADDRESS.hit(client_ip(request) or "unknown"),
        )
        refused = [verdict for verdict in verdicts if not verdict.allowed]
        if refused:
            minutes = max(1, max(v.retry_after for v in refused) // 60)
            context["too_many"] = minutes
            status = 429
        else:
            context["verification"] = ask_by_code(request.contact, form.cleaned_data["code"])
    elif request.method == "POST":
        status = 400
    return _page(request, "portals/customer/verify.html", context, status)

"""A request seen by the program: everything needed to decide, and the actions of the table."""

from typing import NamedTuple

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, NeedsConfirmation
from core.permissions import role_required
from core.roles import Role
from customers.feedback import RELATION as CUSTOMER_FEEDBACK
from portals.manage.forms import CustomerBriefForm, RecordActivityForm
from portals.shared.responses import render_refused
from portals.shared.transitions import take_transition
from references.statuses import ReferenceStatus
from requests_app.models import ReferenceRequest
from requests_app.services import customer_brief_set
from workflows.guards import SCHEDULE_ANYWAY, late_reasons
from workflows.querysets import participants_for
from workflows.selectors import (
    alternative_candidates,
    availability,
    collisions,
    contact_usage,
    managers,
    request_detail,
)
from workflows.services import request_transition
from workflows.transitions import available_transitions


class Choice(NamedTuple):
    """A contact the manager may approve the request with."""

    pk: int
    label: str
    resting: bool


def _detail_context(
    request: HttpRequest, ref_request: ReferenceRequest, brief_form: CustomerBriefForm | None = None
) -> dict:
    candidates = [c.contact for c in ref_request.candidates.all()]
    in_play = list(candidates)
    if ref_request.chosen_contact and ref_request.chosen_contact not in in_play:
        in_play.insert(0, ref_request.chosen_contact)
    alternatives = alternative_candidates(ref_request, exclude={c.pk for c in in_play})
    usage = contact_usage([c.pk for c in in_play])
    limits = availability(ref_request, in_play)
    choices = [
        Choice(c.pk, f"{c.full_name} — {c.account.name}", c.status == ReferenceStatus.RESTING)
        for c in in_play
    ]
    choices += [Choice(a.contact_id, f"{a.name} — {a.account_name}", a.resting) for a in alternatives]
    return {
        "req": ref_request,
        "candidates": [(c, usage.get(c.pk), limits[c.pk]) for c in candidates],
        "chosen_limits": limits.get(ref_request.chosen_contact_id),
        "alternatives": alternatives,
        "choices": choices,
        "collisions": collisions(ref_request, in_play),
        "actions": (actions := available_transitions(ref_request, request.user)),
        # The customer's offered times, each scheduled in one click (the "schedule" action); a
        # late one says why beside its button, which confirms it (SCHEDULE_ANYWAY).
        "can_schedule": any(t.action == "schedule" for t in actions),
        "offered": [
            (slot, " and ".join(late_reasons(ref_request, slot.starts_at)))
            for slot in ref_request.offered_slots.all()
        ],
        "schedule_anyway": SCHEDULE_ANYWAY,
        "brief_form": brief_form or CustomerBriefForm(initial={"customer_brief": ref_request.customer_brief}),
        "managers": managers(),
        "section": "inbox",
    }


def _get(pk: int) -> ReferenceRequest:
    ref_request = request_detail(pk, related=(CUSTOMER_FEEDBACK,))
    if ref_request is None:
        raise Http404("No such request.")
    return ref_request


@role_required(Role.MANAGER)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ref_request = _get(pk)
    return render(request, "portals/manage/request_detail.html", _detail_context(request, ref_request))


def _schedule_anyway_form(request: HttpRequest, warning: NeedsConfirmation) -> dict:
    """What the warning's button posts again: the same inputs (as typed) and the confirmation."""
    posted = {
        name: request.POST.get(name, "") for name in ("action", "expected_status", "note", "scheduled_for")
    }
    return {"message": warning.message, "field": warning.confirm, "posted": posted}


@role_required(Role.MANAGER)
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the posted action through the transition service; a refusal re-renders the page."""
    try:
        moved = take_transition(request, request_id=pk)
    except NeedsConfirmation as warning:
        # The page again with the warning and a button that sends the same post confirmed.
        context = _detail_context(request, _get(pk)) | {"confirm": _schedule_anyway_form(request, warning)}
        return render(request, "portals/manage/request_detail.html", context, status=warning.http_status)
    except DomainError as error:
        return render_refused(
            request, "portals/manage/request_detail.html", _detail_context(request, _get(pk)), error
        )
    messages.success(request, _done_message(moved, request.POST.get("action", "")))
    return redirect("manage:request", pk=pk)


def _done_message(moved: ReferenceRequest, action: str) -> str:
    """What the manager reads after an action: what happened, and who acts next when not them."""
    if action == "ask_info":
        requester = moved.requester.get_full_name() or moved.requester.username
        return f"Your question was sent to {requester}; request #{moved.pk} waits for their answer."
    return f"Request #{moved.pk} is now {moved.get_status_display().lower()}."


@role_required(Role.MANAGER)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the activity: date, duration, participants; the request is then completed."""
    ref_request = _get(pk)
    if not any(t.action == "record_activity" for t in available_transitions(ref_request, request.user)):
        messages.error(
            request, f"Request #{pk} is {ref_request.get_status_display().lower()}: nothing to record."
        )
        return redirect("manage:request", pk=pk)
    form = RecordActivityForm(
        request.POST or None,
        participants=participants_for(ref_request).select_related("persona").order_by("last_name", "pk"),
        initial={"participants": [ref_request.chosen_contact_id], "expected_status": ref_request.status},
    )
    context = {"req": ref_request, "form": form, "section": "inbox"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            request_transition(
                request_id=pk,
                action="record_activity",
                actor=request.user,
                note=data["note"],
                expected_status=data["expected_status"] or None,
                occurred_on=data["occurred_on"],
                duration_minutes=data["duration_minutes"],
                participants=list(data["participants"]),
            )
        except DomainError as error:
            # Said once, beside the field it is about (or above the form), not also in a banner.
            form.add_domain_error(error)
            return render(request, "portals/manage/record_activity.html", context, status=error.http_status)
        messages.success(request, "Activity recorded; the requester has been asked for feedback.")
        return redirect(reverse("manage:request", args=[pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "portals/manage/record_activity.html", context, status=status)


@role_required(Role.MANAGER)
@require_POST
def brief(request: HttpRequest, pk: int) -> HttpResponse:
    """Set what the customer may read about the prospect in their portal."""
    ref_request = _get(pk)
    form = CustomerBriefForm(request.POST)
    if form.is_valid():
        try:
            customer_brief_set(
                request=ref_request, actor=request.user, brief=form.cleaned_data["customer_brief"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The customer's brief is saved.")
            return redirect("manage:request", pk=pk)
    context = _detail_context(request, _get(pk), brief_form=form)
    return render(request, "portals/manage/request_detail.html", context, status=400)

"""Marketing's campaign requests: the list, a new one (references from a simple search), and the
request's page with its history and the requester's workflow actions (answer, close, cancel,
feedback) through the same services as the sales portal's."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from customers.feedback import RELATION as CUSTOMER_FEEDBACK
from portals.content.campaign_forms import CampaignRequestForm, ReferenceSearchForm, kept_ids
from portals.shared.paging import paginate
from portals.shared.transitions import take_transition
from requests_app.campaigns import campaign_request_detail, campaign_requests
from requests_app.forms import CancelForm, FeedbackForm
from requests_app.selectors import released_contact_details
from requests_app.statuses import FEEDBACK_STATUSES
from workflows import selectors as workflow_selectors
from workflows.services import feedback_submit, request_cancel, request_submit
from workflows.transitions import Needs, available_transitions

# Workflow actions a requester takes from the request page (others happen elsewhere).
REQUESTER_ACTIONS = ("provide_info", "close")
CAMPAIGN_ROLES = (Role.MARKETING, Role.MANAGER)


@role_required(*CAMPAIGN_ROLES)
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaign requests, open first, latest activity on top."""
    context = {"page": paginate(request, campaign_requests(user=request.user))}
    return render(request, "portals/content/campaign_list.html", context)


@role_required(*CAMPAIGN_ROLES)
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Search references (GET `q`), choose up to three, name the campaign and submit."""
    search = ReferenceSearchForm(request.GET)
    kept = kept_ids(request.POST, "first_choice", "second_choice", "third_choice", limit=3)
    references = search.results(keep=kept)
    if request.method == "POST":
        form = CampaignRequestForm(request.POST, references=references)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = request_submit(
                    requester=request.user,
                    campaign=data["campaign"],
                    activity_type=data["activity_type"],
                    contacts=data["contacts"],
                    needed_by=data["needed_by"],
                    notes=data["notes"],
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Campaign request #{created.pk} is submitted.")
                return redirect("content:campaign", pk=created.pk)
    else:
        form = CampaignRequestForm(references=references)
    context = {"form": form, "search": search, "references": references}
    return render(request, "portals/content/campaign_form.html", context, status=400 if form.errors else 200)


def _detail_context(request: HttpRequest, pk: int, **forms) -> dict:
    req = campaign_request_detail(user=request.user, pk=pk, related=(CUSTOMER_FEEDBACK,))
    actions = available_transitions(req, request.user)
    feedback_due = (
        req.requester_id == request.user.pk
        and req.status in FEEDBACK_STATUSES
        and not hasattr(req, "feedback")
    )
    return {
        "req": req,
        "contact_details": released_contact_details(req),
        "timeline": workflow_selectors.timeline(req),
        "actions": [
            t for t in actions if t.action in REQUESTER_ACTIONS and t.needs in (Needs.NOTHING, Needs.NOTE)
        ],
        "can_cancel": any(t.action == "cancel" for t in actions),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "feedback_form": forms.get("feedback_form") or (FeedbackForm() if feedback_due else None),
        "action_error": forms.get("action_error"),
    }


def _detail(request: HttpRequest, pk: int, status: int = 200, **forms) -> HttpResponse:
    context = _detail_context(request, pk, **forms)
    return render(request, "portals/content/campaign_detail.html", context, status=status)


@role_required(*CAMPAIGN_ROLES)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@role_required(*CAMPAIGN_ROLES)
@require_POST
def campaign_act(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's workflow action (answer the manager's question, close)."""
    req = campaign_request_detail(user=request.user, pk=pk)
    try:
        moved = take_transition(request, request_id=pk, actions=REQUESTER_ACTIONS, shown_status=req.status)
    except DomainError as error:
        return _detail(request, pk, status=error.http_status, action_error=error.message)
    messages.success(request, f"Campaign request #{moved.pk} is now {moved.get_status_display().lower()}.")
    return redirect("content:campaign", pk=pk)


@role_required(*CAMPAIGN_ROLES)
@require_POST
def campaign_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    req = campaign_request_detail(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, cancel_form=form)
    try:
        request_cancel(request=req, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        form.add_error("reason" if error.field == "reason" else None, error.message)
        return _detail(request, pk, status=error.http_status, cancel_form=form)
    messages.success(request, f"Campaign request #{pk} is cancelled.")
    return redirect("content:campaign", pk=pk)


@role_required(*CAMPAIGN_ROLES)
@require_POST
def campaign_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    req = campaign_request_detail(user=request.user, pk=pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, status=400, feedback_form=form)
    try:
        feedback_submit(request=req, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        form.add_domain_error(error)
        return _detail(request, pk, status=error.http_status, feedback_form=form)
    messages.success(request, "Thank you — your feedback is recorded.")
    return redirect("content:campaign", pk=pk)

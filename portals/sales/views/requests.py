"""Request references, and follow them: My requests, the request page, cancel, feedback."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from customers.feedback import RELATION as CUSTOMER_FEEDBACK
from limits.selectors import availability_for
from matching.selectors import Filters, search_references, target_for_opportunity
from portals.sales.forms import RequestListForm, RequestStartForm
from portals.shared.paging import paginate, query_without
from portals.shared.transitions import take_transition
from references.models import ActivityType
from requests_app import selectors
from requests_app.forms import CancelForm, FeedbackForm, RequestForm
from requests_app.models import ReferenceRequest, RequestStatus
from requests_app.services import MAX_CANDIDATES, DuplicateRequest
from requests_app.statuses import FEEDBACK_STATUSES
from workflows import selectors as workflow_selectors
from workflows.services import feedback_submit, request_cancel, request_submit
from workflows.transitions import Needs, available_transitions

# Workflow actions a requester takes from the request page (others happen elsewhere).
REQUESTER_ACTIONS = ("provide_info", "close")


@role_required(Role.SALES)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """The request form, for the references picked in the search (up to three)."""
    params = RequestStartForm(request.POST if request.method == "POST" else request.GET)
    picked = list(params.value("contact", ()))
    deal_id = RequestStartForm(request.GET).value("opportunity")
    # A link to someone else's deal is a 404; a form posted with one gets a form error.
    deal = selectors.opportunity_detail(user=request.user, pk=deal_id) if deal_id else None
    references = []
    if picked:
        target = target_for_opportunity(deal)
        filters = Filters(contacts=tuple(picked))
        found = search_references(
            filters=filters,
            target=target,
            page_size=len(picked),
            with_facets=False,
            counted_for=_chosen_activity_type(params),
        )
        by_id = {card.contact_id: card for card in found.cards}
        references = [by_id[pk] for pk in picked if pk in by_id]
    opportunities = selectors.open_opportunities_for_choice(user=request.user)
    if deal is not None and deal.pk not in {o.pk for o in opportunities}:
        opportunities.insert(0, deal)
    form_args = {"user": request.user, "references": references, "opportunities": opportunities}
    if request.method == "POST":
        form = RequestForm(request.POST, **form_args)
        if form.is_valid():
            created = _submit(request, form)
            if created is not None:
                messages.success(
                    request, f"Request #{created.pk} is submitted. The reference program takes it from here."
                )
                for name, summary in _limit_warnings(form, references):
                    messages.warning(
                        request, f"{name} — {summary}. The reference program decides at approval."
                    )
                return redirect("sales:request", pk=created.pk)
    else:
        form = RequestForm(initial=_initial(params, picked, deal), **form_args)
    context = {
        "limit_warnings": _limit_warnings(form, references),
        "section": "requests",
        "form": form,
        "references": references,
        "deal": deal,
        "too_many": len(picked) > MAX_CANDIDATES,
        "unavailable": len(picked) - len(references),
    }
    return render(request, "portals/sales/request_form.html", context, status=400 if form.errors else 200)


def _chosen_activity_type(params: RequestStartForm) -> int | None:
    """The activity type the form asks about, posted or carried from the search (if it exists)."""
    pk = params.value("activity_type") or params.value("activity")
    if pk is None:
        return None
    return ActivityType.objects.filter(pk=pk, is_active=True).values_list("pk", flat=True).first()


def _limit_warnings(form: RequestForm, references: list) -> list[tuple[str, str]]:
    """(name, summary) of each picked reference the burnout limits would refuse today, as the
    approval would (and as the cards beside it count). A warning only: submitting stays possible."""
    activity_type = _form_value(form, "activity_type")
    if not references or not isinstance(activity_type, ActivityType):
        return []
    answers = availability_for([card.contact_id for card in references], activity_type=activity_type)
    return [
        (card.name, answers[card.contact_id].summary)
        for card in references
        if card.contact_id in answers and not answers[card.contact_id].ok
    ]


def _form_value(form: RequestForm, name: str):
    """The cleaned value of a bound form's field, or the initial one of an unbound form."""
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get(name)
    value = form.initial.get(name)
    if name == "activity_type" and value is not None and not isinstance(value, ActivityType):
        value = ActivityType.objects.filter(pk=value, is_active=True).first()
    return value


def _initial(params: RequestStartForm, picked: list[int], deal) -> dict:
    initial = {"contact": picked, "needed_by": timezone.localdate() + timedelta(days=14)}
    for name, pk in zip(("first_choice", "second_choice", "third_choice"), picked, strict=False):
        initial[name] = pk
    if deal is not None:
        initial["opportunity"] = deal.pk
    for name, param in (("activity_type", "activity"), ("prospect_contact_role", "role")):
        value = params.value(param)
        if value:
            initial[name] = value
    return initial


def _submit(request: HttpRequest, form: RequestForm):
    data = form.cleaned_data
    try:
        return request_submit(
            requester=request.user,
            opportunity=data["opportunity"],
            activity_type=data["activity_type"],
            contacts=data["contacts"],
            needed_by=data["needed_by"],
            prospect_contact_role=data["prospect_contact_role"],
            notes=data["notes"],
        )
    except DuplicateRequest as error:
        link = None
        if error.existing.requester_id == request.user.pk:
            url = reverse("sales:request", args=[error.existing.pk])
            link = format_html('{} <a href="{}">Open request #{}</a>', error.message, url, error.existing.pk)
        form.add_domain_error(error, link)
    except DomainError as error:
        form.add_domain_error(error)
    return None


@role_required(Role.SALES)
def request_list(request: HttpRequest) -> HttpResponse:
    """My requests: filter by open/finished, status or deal; open ones first, latest activity on
    top, unless another sort is chosen."""
    params = RequestListForm(request.GET)
    group, sort = params.value("group", "all"), params.value("sort", "recent")
    status = params.value("status", "")
    rows = selectors.my_requests(
        user=request.user, group=group, status=status, opportunity_id=params.value("opportunity"), sort=sort
    )
    context = {
        "section": "requests",
        "page": paginate(request, rows),
        "group": group,
        "groups": [(key, label) for key, (label, _s) in selectors.REQUEST_GROUPS.items()],
        "sort": sort,
        "sorts": [(key, label) for key, (label, _o) in selectors.REQUEST_SORTS.items()],
        "status": status,
        "statuses": RequestStatus.choices,
        "page_query": query_without(request.GET),
    }
    return render(request, "portals/sales/request_list.html", context)


def _detail_context(request: HttpRequest, pk: int, **forms) -> dict:
    reference_request = selectors.request_detail(user=request.user, pk=pk, related=(CUSTOMER_FEEDBACK,))
    actions = available_transitions(reference_request, request.user)
    own_actions = [
        t for t in actions if t.action in REQUESTER_ACTIONS and t.needs in (Needs.NOTHING, Needs.NOTE)
    ]
    feedback_due = (
        reference_request.requester_id == request.user.pk
        and reference_request.status in FEEDBACK_STATUSES
        and not hasattr(reference_request, "feedback")
    )
    return {
        "section": "requests",
        "req": reference_request,
        "contact_details": selectors.released_contact_details(reference_request),
        "timeline": workflow_selectors.timeline(reference_request),
        "can_cancel": any(t.action == "cancel" for t in actions),
        "actions": own_actions,
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "feedback_form": forms.get("feedback_form") or (FeedbackForm() if feedback_due else None),
        "feedback_due": feedback_due,
        "action_error": forms.get("action_error"),
    }


@role_required(Role.SALES)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request with its contacts and timeline; the contact's email and phone once approved."""
    return render(request, "portals/sales/request_detail.html", _detail_context(request, pk))


@role_required(Role.SALES)
@require_POST
def request_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    reference_request = selectors.request_detail(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            request_cancel(request=reference_request, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
            status = error.http_status
        else:
            messages.success(request, f"Request #{pk} is cancelled.")
            return redirect("sales:request", pk=pk)
    else:
        status = 400
    context = _detail_context(request, pk, cancel_form=form)
    return render(request, "portals/sales/request_detail.html", context, status=status)


@role_required(Role.SALES)
@require_POST
def request_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    reference_request = selectors.request_detail(user=request.user, pk=pk)
    form = FeedbackForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            feedback_submit(request=reference_request, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
            status = error.http_status
        else:
            messages.success(request, "Thank you — your feedback is recorded.")
            return redirect("sales:request", pk=pk)
    context = _detail_context(request, pk, feedback_form=form)
    return render(request, "portals/sales/request_detail.html", context, status=status)


@role_required(Role.SALES)
@require_POST
def request_act(request: HttpRequest, pk: int) -> HttpResponse:
    """A requester's workflow action (answer a question, close): the workflow service decides."""
    reference_request = selectors.request_detail(user=request.user, pk=pk)
    try:
        moved = take_transition(
            request, request_id=pk, actions=REQUESTER_ACTIONS, shown_status=reference_request.status
        )
    except DomainError as error:
        context = _detail_context(request, pk, action_error=error.message)
        return render(request, "portals/sales/request_detail.html", context, status=error.http_status)
    messages.success(request, _confirmation(moved, request.POST.get("action", "")))
    return redirect("sales:request", pk=pk)


def _confirmation(moved: ReferenceRequest, action: str) -> str:
    """What the requester reads after an action: what happened and who has the request now."""
    status = moved.get_status_display().lower()
    if action == "provide_info":
        # The answer is for the manager looking after the request (workflows.notices: `program`).
        manager = moved.assigned_manager
        to = (manager.get_full_name() or manager.username) if manager and manager.is_active else None
        return (
            f"Your answer was sent to {to or 'the reference team'}; request #{moved.pk} is back "
            f"with the reference team ({status})."
        )
    return f"Request #{moved.pk} is now {status}."

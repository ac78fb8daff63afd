"""Planned events for marketing and managers: the list (upcoming and past), planning one, its
page with the sign-ups, and recording it once held (which writes the activities)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.content.campaign_forms import (
    CancelEventForm,
    PlannedEventForm,
    RecordEventForm,
    ReferenceSearchForm,
    kept_ids,
)
from portals.shared.paging import paginate
from workflows.event_selectors import planned_event_detail, planned_events
from workflows.planned_events import (
    MAX_SPEAKERS,
    planned_event_cancel,
    planned_event_create,
    planned_event_record,
)

EVENT_ROLES = (Role.MARKETING, Role.MANAGER)


@role_required(*EVENT_ROLES)
def event_list(request: HttpRequest) -> HttpResponse:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    context = {"page": paginate(request, planned_events(when=when)), "when": when}
    return render(request, "portals/content/event_list.html", context)


@role_required(*EVENT_ROLES)
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    """Search speakers (GET `q`), choose them, and plan the event."""
    search = ReferenceSearchForm(request.GET)
    references = search.results(keep=kept_ids(request.POST, "speakers", limit=MAX_SPEAKERS))
    form = PlannedEventForm(request.POST or None, references=references)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planned = planned_event_create(
                actor=request.user,
                title=data["title"],
                activity_type=data["activity_type"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                capacity=data["capacity"],
                speaker_ids=data["speakers"],
                notes=data["notes"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"“{planned.title}” is planned; reps can sign their deals up.")
            return redirect("content:event", pk=planned.pk)
    context = {"form": form, "search": search, "references": references}
    return render(request, "portals/content/event_form.html", context, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest,
    pk: int,
    form: RecordEventForm | None = None,
    status: int = 200,
    cancel_form: CancelEventForm | None = None,
) -> HttpResponse:
    planned = planned_event_detail(pk)
    if form is None and planned.is_planned:
        initial = {
            "speakers": [s.pk for s in planned.speakers.all()],
            "attended": [s.pk for s in planned.signup_rows],
        }
        form = RecordEventForm(initial=initial, planned=planned)
    if cancel_form is None and planned.is_planned:
        cancel_form = CancelEventForm()
    context = {"planned": planned, "form": form, "cancel_form": cancel_form}
    return render(request, "portals/content/event_detail.html", context, status=status)


@role_required(*EVENT_ROLES)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@role_required(*EVENT_ROLES)
@require_POST
def event_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the held event: who spoke, which deals attended, how it went."""
    planned = planned_event_detail(pk)
    form = RecordEventForm(request.POST, planned=planned)
    if not form.is_valid():
        return _detail(request, pk, form=form, status=400)
    data = form.cleaned_data
    try:
        planned_event_record(
            planned_event_id=planned.pk,
            actor=request.user,
            attended_signup_ids=data["attended"],
            speaker_ids=data["speakers"],
            feedback=data["feedback"],
        )
    except DomainError as error:
        form.add_domain_error(error)
        return _detail(request, pk, form=form, status=error.http_status)
    messages.success(request, f"“{planned.title}” is recorded: one activity per speaker.")
    return redirect("content:event", pk=pk)


@role_required(*EVENT_ROLES)
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Call the event off, saying why; the reps whose deals are signed up are told."""
    planned = planned_event_detail(pk)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, cancel_form=form, status=400)
    try:
        planned_event_cancel(
            planned_event_id=planned.pk, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        form.add_domain_error(error)
        return _detail(request, pk, cancel_form=form, status=error.http_status)
    messages.success(request, f"“{planned.title}” is called off; the reps who signed up are told.")
    return redirect("content:event", pk=pk)

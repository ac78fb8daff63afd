"""One-to-many events: list, record one that served several requests, and its detail."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.manage.forms import EventForm
from portals.shared.paging import paginate, query_without
from references.models import Contact
from requests_app.models import ReferenceRequest
from workflows.events import event_record, servable_requests
from workflows.models import Event


@role_required(Role.MANAGER)
def event_list(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.select_related("activity_type", "recorded_by")
        .annotate(
            speaker_count=Count("speakers", distinct=True), request_count=Count("requests", distinct=True)
        )
        .order_by("-occurred_on", "-id")
    )
    return render(
        request,
        "portals/manage/events.html",
        {
            "page": paginate(request, events),
            "page_query": query_without(request.GET),
            "section": "events",
        },
    )


def _servable():
    return (
        servable_requests()
        .select_related("activity_type", "opportunity", "requester", "chosen_contact__account")
        .order_by("needed_by", "id")
    )


@role_required(Role.MANAGER)
def event_new(request: HttpRequest) -> HttpResponse:
    """Record an event: the requests it served and the contacts who spoke (their chosen contacts)."""
    form = EventForm(request.POST or None)
    servable = list(_servable())
    speaker_ids = {r.chosen_contact_id for r in servable if r.chosen_contact_id}
    speakers = Contact.objects.filter(pk__in=speaker_ids).select_related("account").order_by("last_name")
    context = {"form": form, "servable": servable, "speakers": speakers, "section": "events"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_record(
                actor=request.user,
                title=data["title"],
                activity_type=data["activity_type"],
                occurred_on=data["occurred_on"],
                duration_minutes=data["duration_minutes"],
                speaker_ids=data["speakers"],
                request_ids=data["requests"],
                notes=data["notes"],
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error(None, error.message)
            return render(request, "portals/manage/event_form.html", context, status=error.http_status)
        messages.success(request, f"Event recorded: {event.requests.count()} request(s) completed.")
        return redirect("manage:event", pk=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portals/manage/event_form.html", context, status=status)


@role_required(Role.MANAGER)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.select_related("activity_type", "recorded_by").prefetch_related(
            Prefetch("speakers", queryset=Contact.objects.select_related("account")),
            Prefetch(
                "requests",
                queryset=ReferenceRequest.objects.select_related("opportunity", "requester", "activity_type"),
            ),
            "activities__opportunities",
        ),
        pk=pk,
    )
    return render(request, "portals/manage/event_detail.html", {"event": event, "section": "events"})

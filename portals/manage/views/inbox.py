"""The manager's inbox: requests needing triage, filters, claim and bulk actions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.permissions import role_required
from core.roles import Role
from customers.selectors import erasures_waiting
from portals.manage.forms import BulkForm, InboxFilterForm
from portals.manage.views import PAGE_SIZE
from portals.shared.paging import paginate, query_without
from workflows.nomination_selectors import open_nominations_count
from workflows.selectors import inbox_requests, managers
from workflows.services import requests_bulk_transition
from workflows.transitions import statuses_where


@role_required(Role.MANAGER)
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    page = paginate(request, inbox_requests(filters=form.filters(), user=request.user), per_page=PAGE_SIZE)
    return render(
        request,
        "portals/manage/inbox.html",
        {
            "form": form,
            "page": page,
            "managers": managers(),
            # The rows whose Claim button shows: where the transition table allows claiming.
            "claimable": statuses_where("claim"),
            "page_query": query_without(request.GET),
            "section": "inbox",
            "erasures": erasures_waiting(),
            "nominations_waiting": open_nominations_count(request.user),
        },
    )


@role_required(Role.MANAGER)
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign or decline the ticked requests; each one that cannot move is named with the reason."""
    form = BulkForm(request.POST)
    valid = form.is_valid()
    target = form.back_query()
    if not valid:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{_inbox_url()}{target}")
    data = form.cleaned_data
    payload = {"assignee": data["assignee"]} if data["action"] == "reassign" else {}
    result = requests_bulk_transition(
        request_ids=data["ids"], action=data["action"], actor=request.user, note=data["note"], **payload
    )
    verb = "declined"
    if data["action"] == "reassign":
        verb = f"assigned to {data['assignee'].get_full_name() or data['assignee'].username}"
    if result.done:
        messages.success(request, f"{len(result.done)} request(s) {verb}.")
    for request_id, reason in result.failed.items():
        messages.error(request, f"Request #{request_id} was not {verb}: {reason}")
    return redirect(f"{_inbox_url()}{target}")


def _inbox_url() -> str:
    return reverse("manage:home")

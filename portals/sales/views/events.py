"""Upcoming planned events for sales reps, and signing one of their open deals up."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from portals.shared.paging import paginate
from workflows.event_selectors import events_for_signup, planned_event_detail
from workflows.planned_events import event_signup, signable_deals


class SignupForm(forms.Form):
    opportunity = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose one of your deals…",
        label="Deal",
        error_messages={"invalid_choice": "Choose one of your open deals."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = signable_deals(user).order_by("close_date", "id")


@role_required(Role.SALES)
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events with their speakers, seats left, and a sign-up form for the rep's deals."""
    return _list(request)


def _list(request: HttpRequest, status: int = 200) -> HttpResponse:
    context = {
        "section": "events",
        "page": paginate(request, events_for_signup(request.user)),
        "deals": list(signable_deals(request.user).only("id", "prospect_name").order_by("close_date", "id")),
    }
    return render(request, "portals/sales/event_list.html", context, status=status)


@role_required(Role.SALES)
@require_POST
def event_signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    planned = planned_event_detail(pk)
    form = SignupForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form.errors["opportunity"][0])
        return _list(request, status=400)
    try:
        signup = event_signup(
            planned_event_id=planned.pk, opportunity=form.cleaned_data["opportunity"], actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _list(request, status=error.http_status)
    messages.success(request, f"{signup.opportunity.prospect_name} is signed up to “{planned.title}”.")
    return redirect("sales:events")

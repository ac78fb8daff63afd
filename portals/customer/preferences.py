"""My preferences: how the signed-in contact takes part. One page of small forms, each posting to
its own route; every write goes through customers.preferences (consent ledger, notices)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.dates import day_text
from core.errors import DomainError
from customers import preferences as service
from portals.customer.access import contact_required
from portals.customer.preference_forms import BlackoutForm, PauseForm, PreferencesForm
from references import consent as wordings
from references.models import (
    BlackoutPeriod,
    ConsentEntry,
    ConsentMethod,
    ConsentSubject,
    ParticipationPreferences,
)
from references.services.preferences import PAUSE_DAYS_MAX
from references.words import activity_name

LEDGER_SHOWN = 30
METHODS = {
    ConsentMethod.PORTAL: gettext_lazy("by you, here"),
    ConsentMethod.STAFF: gettext_lazy("recorded by your reference manager"),
    ConsentMethod.ADMIN: gettext_lazy("recorded by an administrator"),
    ConsentMethod.IMPORT: gettext_lazy("recorded when you joined"),
}


def _preferences(contact) -> ParticipationPreferences:
    found = (
        ParticipationPreferences.objects.filter(contact=contact).prefetch_related("activity_types").first()
    )
    return found or ParticipationPreferences(contact=contact)


def _initial(contact, preferences: ParticipationPreferences) -> dict:
    return {
        "activity_types": list(preferences.activity_types.all()) if preferences.pk else [],
        "own_cap_per_quarter": preferences.own_cap_per_quarter,
        "preferred_channel": preferences.preferred_channel,
        "language": contact.language if contact.language in service.PORTAL_LANGUAGES else "en",
        "time_zone": contact.time_zone,
        "topics_to_avoid": preferences.topics_to_avoid or "",
        "wants_in_return": preferences.wants_in_return,
    }


def _ledger(contact) -> list[dict]:
    entries = ConsentEntry.objects.filter(contact=contact).select_related("activity_type")[:LEDGER_SHOWN]
    return [
        {
            "what": activity_name(entry.activity_type) if entry.activity_type_id else _("Taking part"),
            "given": entry.given,
            "when": entry.recorded_at,
            "how": METHODS.get(entry.method, entry.method),
            "version": entry.wording_version,
        }
        for entry in entries
    ]


def _page(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    contact = request.contact
    preferences = _preferences(contact)
    context = {
        "preferences": preferences,
        "form": forms.get("form") or PreferencesForm(initial=_initial(contact, preferences)),
        "pause_form": forms.get("pause_form") or PauseForm(),
        "blackout_form": forms.get("blackout_form") or BlackoutForm(),
        "blackouts": BlackoutPeriod.objects.filter(contact=contact).order_by("start", "id"),
        "ledger": _ledger(contact),
        "program_wording": wordings.PROGRAM,
        "activity_wording": wordings.ACTIVITY_TYPE,
        "pause_days_max": PAUSE_DAYS_MAX,
        "subject_program": ConsentSubject.PROGRAM,
    }
    return render(request, "portals/customer/preferences.html", context, status=status)


@contact_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = PreferencesForm(request.POST)
    if form.is_valid():
        try:
            service.preferences_change(contact=request.contact, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("customer:preferences")
    return _page(request, 400, form=form)


@contact_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    form = PauseForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, pause_form=form)
    try:
        until = service.pause(contact=request.contact, days=form.cleaned_data["days"])
    except DomainError as error:
        form.add_error("days", error.message)
        return _page(request, 400, pause_form=form)
    messages.success(request, _("You are paused until %(day)s.") % {"day": day_text(until)})
    return redirect("customer:preferences")


@contact_required
@require_POST
def unpause(request: HttpRequest) -> HttpResponse:
    service.unpause(contact=request.contact)
    messages.success(request, _("Your pause has ended."))
    return redirect("customer:preferences")


@contact_required
@require_POST
def stop(request: HttpRequest) -> HttpResponse:
    service.opt_out(contact=request.contact)
    messages.success(request, _("We will not ask you for references any more."))
    return redirect("customer:preferences")


@contact_required
@require_POST
def take_part(request: HttpRequest) -> HttpResponse:
    service.opt_in(contact=request.contact)
    messages.success(request, _("Welcome back: you take part in the program again."))
    return redirect("customer:preferences")


@contact_required
@require_POST
def blackout_add(request: HttpRequest) -> HttpResponse:
    form = BlackoutForm(request.POST)
    if form.is_valid():
        try:
            service.blackout_add(contact=request.contact, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The dates are added."))
            return redirect("customer:preferences")
    return _page(request, 400, blackout_form=form)


@contact_required
@require_POST
def blackout_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if not service.blackout_remove(contact=request.contact, blackout_id=pk):
        raise Http404("No such dates.")
    messages.success(request, _("The dates are removed."))
    return redirect("customer:preferences")

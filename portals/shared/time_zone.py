"""Setting the zone a staff user reads times in: the form sits on the notification preferences
page (notifications cannot write a workflows calendar), and posts here."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import TimeZoneForm
from core.permissions import role_required
from core.roles import Role
from workflows.zones import staff_time_zone_set


# Executives too: the form is on their preferences page, and their digest's times are in their zone.
@role_required(Role.MANAGER, Role.SALES, Role.MARKETING, Role.EXECUTIVE)
@require_POST
def time_zone_set(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST)
    back = redirect("notifications:preferences")
    if not form.is_valid():
        messages.error(request, form.errors["time_zone"][0])
        return back
    try:
        staff_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"])
    except DomainError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, f"Times are now shown in {form.cleaned_data['time_zone']}.")
    return back

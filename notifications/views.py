"""The notification list at /notifications/, mark read (htmx or plain POST), and preferences."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import TimeZoneForm
from notifications.kinds import Delivery
from notifications.selectors import inbox, preference_rows, unread_count
from notifications.services import notification_mark_read, preferences_save

PAGE_SIZE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=pk)
    notification = get_object_or_404(inbox(request.user), pk=pk)
    if request.headers.get("HX-Request"):
        context = {"item": notification, "unread_now": unread_count(request.user)}
        return render(request, "notifications/_item_read.html", context)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, rows: list[tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label, current in rows:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Delivery.choices, initial=current)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    rows = preference_rows(request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    # The zone times are shown in (set through its own form: a staff calendar is the workflow's).
    zone_form = TimeZoneForm(initial={"time_zone": timezone.get_current_timezone_name()})
    return render(request, "notifications/preferences.html", {"form": form, "zone_form": zone_form})

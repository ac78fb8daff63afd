from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.permissions import role_required
from core.roles import Role
from marketing.selectors import EXPIRING_DAYS, home_counts, recently_changed
from requests_app.campaigns import campaign_counts
from workflows.event_selectors import planned_event_counts


@role_required(Role.MARKETING, Role.MANAGER)
def home(request: HttpRequest) -> HttpResponse:
    """Marketing's home: the library, campaign requests and planned events in figures, each with a
    link to where it is worked."""
    context = {
        "counts": home_counts(timezone.localdate()),
        "recent": recently_changed(request.user),
        "expiring_days": EXPIRING_DAYS,
        "campaigns": campaign_counts(request.user),
        "events": planned_event_counts(),
        "section": "home",
    }
    return render(request, "portals/content/home.html", context)

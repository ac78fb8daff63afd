"""The one reminder of an ask the customer has not answered: a contact asked (the request in
"customer asked") who neither accepted nor declined after PORTAL_ASK_REMINDER_DAYS days gets one
email, in their language, linking to the ask in the portal (workflows.customer_notices).

Set-based and idempotent: one query finds the asks due (those already reminded excluded), and
each reminder's key names the request and the moment it was asked, so running twice, or two
sweeps at once, writes it once (the notifications' unique constraint); a request asked again
later (declined, then approved anew) is a new ask with its own reminder.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef

from notifications.models import Notification
from notifications.services import notify
from references.statuses import ReferenceStatus
from requests_app.models import ReferenceRequest, RequestEvent, RequestStatus
from workflows.customer_notices import ask_reminder_message
from workflows.notices import ASK_REMINDER


def asks_to_remind(*, now: datetime):
    """Asks older than the reminder delay, not answered, not reminded yet."""
    days = getattr(settings, "PORTAL_ASK_REMINDER_DAYS", 3)
    answered = RequestEvent.objects.filter(
        request=OuterRef("pk"), action="accept_ask", created_at__gte=OuterRef("status_changed_at")
    )
    reminded = Notification.objects.filter(
        request=OuterRef("pk"), kind=ASK_REMINDER.code, created_at__gte=OuterRef("status_changed_at")
    )
    return (
        ReferenceRequest.objects.filter(
            status=RequestStatus.CUSTOMER_ASKED,
            chosen_contact__isnull=False,
            status_changed_at__lte=now - timedelta(days=days),
        )
        .exclude(Exists(answered))
        .exclude(Exists(reminded))
        # Not to a contact who said "stop asking me" or "pause me" since, nor to one retired
        # (an erased contact is retired: the reminder went to their placeholder address).
        .exclude(chosen_contact__status=ReferenceStatus.RETIRED)
        .exclude(chosen_contact__preferences__opted_out=True)
        .exclude(chosen_contact__preferences__paused_by_contact=True)
        .select_related("requester", "activity_type", "chosen_contact")
        .order_by("pk")
    )


def asks_remind(*, now: datetime) -> int:
    """Write the reminders due; returns how many asks were reminded."""
    count = 0
    for request in asks_to_remind(now=now):
        contact = request.chosen_contact
        notify(
            kind=ASK_REMINDER.code,
            key=f"ask-reminder:{request.pk}:{int(request.status_changed_at.timestamp())}",
            message=ask_reminder_message(request, contact),
            contacts=[contact],
            request=request,
        )
        count += 1
    return count

"""Everything RMS holds about a contact, as one JSON document (the portal's "Download my data").

Each part is one function of the contact returning plain values (dates as dates), reading in one or two
queries whatever the number of rows, so the whole export costs a fixed number of queries. The
customer sees what concerns them as they may see it: their requests by activity type, dates,
status and rep — never the prospect's name nor the program's internal notes.

To add a part (a model that holds something about a contact), write a function here and add it
to `PARTS`; `tests/customers/test_export.py` plants a value in it and finds it in the download.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from customers.models import CustomerFeedback, ErasureRequest, GiveBack, PortalSession
from notifications.models import Notification
from references.models import (
    BlackoutPeriod,
    ConsentEntry,
    Contact,
    ParticipationPreferences,
    ReferenceActivity,
    StatusChange,
)
from requests_app.models import Nomination, ReferenceRequest

FORMAT_VERSION = 1
Json = dict[str, Any]


def jsonable(value: Any) -> Any:
    """`value` with its dates as ISO 8601 text (times in UTC, with their offset)."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# --- the parts ------------------------------------------------------------------------------


def contact_part(contact: Contact) -> Json:
    """The contact's own fields and their account's name (the contact comes with its account)."""
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "language": contact.language,
        "time_zone": contact.time_zone,
        "reference_status": contact.get_status_display(),
        "account": contact.account.name,
        "created_at": contact.created_at,
    }


def preferences_part(contact: Contact) -> Json | None:
    preferences = (
        ParticipationPreferences.objects.filter(contact=contact).prefetch_related("activity_types").first()
    )
    if preferences is None:
        return None
    return {
        "activity_types": sorted(t.name for t in preferences.activity_types.all()),
        "own_cap_per_quarter": preferences.own_cap_per_quarter,
        "preferred_channel": preferences.get_preferred_channel_display(),
        "wants_in_return": preferences.wants_in_return,
        "topics_to_avoid": preferences.topics_to_avoid,
        "paused_until": preferences.paused_until,
        "consent_given_at": preferences.consent_given_at,
        "opted_out": preferences.opted_out,
        "opted_out_at": preferences.opted_out_at,
        "paused": preferences.paused_by_contact,
        "updated_at": preferences.updated_at,
    }


def blackouts_part(contact: Contact) -> list[Json]:
    return [
        {"start": b.start, "end": b.end, "reason": b.reason}
        for b in BlackoutPeriod.objects.filter(contact=contact).order_by("start", "id")
    ]


def status_changes_part(contact: Contact) -> list[Json]:
    return [
        {
            "from": change.get_from_status_display(),
            "to": change.get_to_status_display(),
            "reason": change.reason,
            "at": change.changed_at,
        }
        for change in StatusChange.objects.filter(contact=contact).order_by("changed_at", "id")
    ]


def requests_part(contact: Contact) -> list[Json]:
    """The requests they were proposed for or chosen for, as the customer may see them."""
    requests = (
        ReferenceRequest.objects.filter(Q(chosen_contact=contact) | Q(candidates__contact=contact))
        .distinct()
        .select_related("activity_type", "requester")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": request.pk,
            "activity_type": request.activity_type.name,
            "needed_by": request.needed_by,
            "status": request.get_status_display(),
            "chosen": request.chosen_contact_id == contact.pk,
            "scheduled_for": request.scheduled_for,
            "rep": _person(request.requester),
            "created_at": request.created_at,
        }
        for request in requests
    ]


def activities_part(contact: Contact) -> list[Json]:
    activities = (
        ReferenceActivity.objects.filter(contact=contact)
        .select_related("activity_type")
        .order_by("occurred_on", "id")
    )
    return [
        {
            "activity_type": a.activity_type.name,
            "occurred_on": a.occurred_on,
            "duration_minutes": a.duration_minutes,
        }
        for a in activities
    ]


def notifications_part(contact: Contact) -> list[Json]:
    """The messages sent to them: title, body, when and the address it went to."""
    sent = Notification.objects.filter(contact=contact).order_by("created_at", "id")
    return [
        {
            "title": n.title,
            "body": n.body,
            "email": n.email,
            "written_at": n.created_at,
            "sent_at": n.sent_at,
        }
        for n in sent
    ]


def nominations_part(contact: Contact) -> list[Json]:
    """Nominations of them as a reference: what was recorded about them, and when; and their own
    offers on the public page (found by their email too, as the erasure finds them, since an offer
    is tied to their contact row only once accepted) with what they wrote and the consent they
    gave."""
    volunteered = Q(source=Nomination.Source.PUBLIC, contact_email__iexact=contact.email)
    nominations = Nomination.objects.filter(Q(contact=contact) | volunteered).order_by("created_at", "id")
    return [_nomination(n) for n in nominations]


def _nomination(n: Nomination) -> Json:
    row = {
        "name": n.contact_name,
        "title": n.contact_title,
        "email": n.contact_email,
        "status": n.get_status_display(),
        "created_at": n.created_at,
    }
    if n.is_public:
        row.update(reason=n.reason, consent_text=n.consent_text, consented_at=n.consented_at)
    return row


def erasure_requests_part(contact: Contact) -> list[Json]:
    return [
        {
            "status": e.get_status_display(),
            "requested_at": e.requested_at,
            "due_on": e.due_on,
            "done_at": e.done_at,
        }
        for e in ErasureRequest.objects.filter(contact=contact).order_by("requested_at", "id")
    ]


def portal_sessions_part(contact: Contact) -> list[Json]:
    """Their sign-ins to the portal: when each began, was last used and ended."""
    sessions = PortalSession.objects.filter(contact=contact).order_by("started_at", "id")
    return [
        {"started_at": s.started_at, "last_seen_at": s.last_seen_at, "ended_at": s.ended_at} for s in sessions
    ]


def feedback_part(contact: Contact) -> list[Json]:
    """The feedback they gave on the activities they did."""
    given = CustomerFeedback.objects.filter(contact=contact).select_related("request__activity_type")
    return [
        {
            "request": f.request_id,
            "activity_type": f.request.activity_type.name,
            "rating": f.rating,
            "comment": f.comment,
            "submitted_at": f.submitted_at,
        }
        for f in given.order_by("submitted_at", "id")
    ]


def consents_part(contact: Contact) -> list[Json]:
    """Their consent ledger: what, when, given or withdrawn, how, and the wording they saw."""
    entries = ConsentEntry.objects.filter(contact=contact).select_related("activity_type")
    return [
        {
            "what": e.activity_type.name if e.activity_type_id else e.get_subject_display(),
            "given": e.given,
            "when": e.recorded_at,
            "how": e.get_method_display(),
            "wording_version": e.wording_version,
        }
        for e in entries.order_by("recorded_at", "id")
    ]


def give_back_part(contact: Contact) -> list[Json]:
    """What the program gave them: the kind, the day, the message written for them and the
    program's own note about it (theirs to read here, though not on the portal's pages)."""
    given = GiveBack.objects.filter(contact=contact).order_by("given_on", "id")
    return [
        {
            "kind": g.get_kind_display(),
            "given_on": g.given_on,
            "message": g.message,
            "note": g.note,
            "request": g.request_id,
            "recorded_at": g.created_at,
        }
        for g in given
    ]


# The document's keys, in order. Each reads its rows in a fixed number of queries.
PARTS: dict[str, Callable[[Contact], Any]] = {
    "contact": contact_part,
    "preferences": preferences_part,
    "blackouts": blackouts_part,
    "status_changes": status_changes_part,
    "requests": requests_part,
    "activities": activities_part,
    "feedback": feedback_part,
    "consents": consents_part,
    "give_back": give_back_part,
    "notifications": notifications_part,
    "nominations": nominations_part,
    "erasure_requests": erasure_requests_part,
    "portal_sessions": portal_sessions_part,
}


def contact_data(*, contact: Contact) -> Json:
    """Everything held about `contact` (loaded with its account), dates as dates: the data page."""
    data: Json = {"format": FORMAT_VERSION, "exported_at": timezone.now()}
    for key, part in PARTS.items():
        data[key] = part(contact)
    return data


def contact_export(*, contact: Contact) -> Json:
    """The downloadable document: `contact_data` as JSON values."""
    return jsonable(contact_data(contact=contact))

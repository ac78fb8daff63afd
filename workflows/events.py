"""One-to-many events: one group call or webinar serves several requests at once.

Each speaking contact gets exactly one ReferenceActivity for the event, linked to every
opportunity the event served, so the event counts once against each contact's limits however many
requests it served. Every served request is completed through the transition service.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.dates import day_text
from core.errors import DomainError, InvalidInput
from references.models import ActivityType, Contact, ReferenceActivity
from references.outbound import activities_recorded
from requests_app.models import ReferenceRequest
from workflows.models import Event
from workflows.querysets import speakers_for
from workflows.services import request_transition
from workflows.transitions import statuses_where

# Requests an event can serve: those whose activity can be recorded (the customer has agreed, or
# it is scheduled).
SERVABLE_STATUSES = statuses_where("record_activity")


def servable_requests():
    return ReferenceRequest.objects.filter(status__in=SERVABLE_STATUSES)


def _validate(
    *, title: str, occurred_on: date | None, speakers: list, speaker_ids, requests: list, request_ids
) -> None:
    if not title.strip():
        raise InvalidInput("Give the event a title.", field="title")
    if occurred_on is None:
        raise InvalidInput("Give the date of the event.", field="occurred_on")
    if occurred_on > timezone.localdate():
        raise InvalidInput("An event is recorded once it has happened.", field="occurred_on")
    if not requests or len(requests) != len(set(request_ids)):
        raise InvalidInput("Choose the requests the event served.", field="requests")
    if not speaker_ids:
        raise InvalidInput("Choose at least one speaking contact.", field="speakers")
    if len(speakers) != len(set(speaker_ids)):
        raise InvalidInput(
            "The speakers must be people at the accounts of the contacts the served requests chose.",
            field="speakers",
        )


def write_event(
    *,
    actor: User,
    title: str,
    activity_type: ActivityType,
    occurred_on: date,
    duration_minutes: int | None,
    notes: str,
    speakers: list[Contact],
    opportunity_ids: set[int],
) -> tuple[Event, list[ReferenceActivity]]:
    """The core of recording any one-to-many event (served requests or a planned event's deals):
    the Event, and exactly one ReferenceActivity per speaker linked to every deal it served, so
    it counts once against each speaker's limits. Call it inside the caller's transaction."""
    event = Event.objects.create(
        title=title.strip(),
        activity_type=activity_type,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        notes=notes,
        recorded_by=actor,
    )
    activities = []
    for speaker in speakers:
        activity = ReferenceActivity.objects.create(
            contact=speaker,
            account=speaker.account,
            activity_type=activity_type,
            occurred_on=occurred_on,
            duration_minutes=duration_minutes,
            notes=f"Event: {event.title}",
            recorded_by=actor,
        )
        activity.opportunities.set(opportunity_ids)
        activities.append(activity)
    event.speakers.set(speakers)
    event.activities.set(activities)
    activities_recorded(activities, deal_ids=opportunity_ids)
    return event, activities


def event_record(
    *,
    actor: User,
    title: str,
    activity_type: ActivityType,
    occurred_on: date | None,
    speaker_ids: list[int],
    request_ids: list[int],
    duration_minutes: int | None = None,
    notes: str = "",
) -> Event:
    """Record an event that took place: one activity per speaker, every served request completed.

    All or nothing: if one request can no longer be served (someone cancelled it meanwhile), the
    error names it and nothing is recorded.
    """
    with transaction.atomic():
        requests = list(
            servable_requests().select_for_update().filter(pk__in=set(request_ids)).order_by("pk")
        )
        # Only people at the accounts the served requests chose may speak (and so be counted).
        speakers = list(
            speakers_for([r.pk for r in requests]).select_related("account").filter(pk__in=set(speaker_ids))
        )
        _validate(
            title=title,
            occurred_on=occurred_on,
            speakers=speakers,
            speaker_ids=speaker_ids,
            requests=requests,
            request_ids=request_ids,
        )
        event, activities = write_event(
            actor=actor,
            title=title,
            activity_type=activity_type,
            occurred_on=occurred_on,
            duration_minutes=duration_minutes,
            notes=notes,
            speakers=speakers,
            opportunity_ids={r.opportunity_id for r in requests if r.opportunity_id},
        )
        event.requests.set(requests)
        for request in requests:
            try:
                request_transition(
                    request_id=request.pk,
                    action="record_activity",
                    actor=actor,
                    note=f"Served by the event “{event.title}” on {day_text(occurred_on)}.",
                    activities=activities,
                )
            except DomainError as error:
                raise InvalidInput(f"Request #{request.pk}: {error.message}", field="requests") from error
    return event

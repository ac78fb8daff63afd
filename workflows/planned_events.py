"""Planned one-to-many events: marketing or a manager plans one (group reference call, webinar,
customer council, user-group session) with its speakers and a capacity; reps sign their open
deals up; afterwards the attendance is recorded, which writes the activities through the same
core as every event (`workflows.events.write_event`): one per speaker, linked to every deal that
attended, so the event counts once per speaker however many deals it served.

Locking: a sign-up locks the planned event's row first, so two reps taking the last seat at the
same moment run one after the other and the second is refused; recording locks it too, so a
sign-up cannot slip in while it is recorded.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dates import a_year_after, day_text
from core.errors import Conflict, InvalidInput
from core.text import NOTE_MAX_LENGTH
from limits.models import LimitPolicy
from limits.services import limit_check
from references.models import ActivityType, Contact, Opportunity
from references.taxonomy_data import EVENT_ACTIVITY_TYPES
from workflows.event_notices import tell_cancelled
from workflows.events import write_event
from workflows.models import EventSignup, PlannedEvent
from workflows.statuses import PlannedEventStatus

MAX_SPEAKERS = 6
MAX_CAPACITY = 500


def event_activity_types():
    """The activity types an event may be planned as."""
    return ActivityType.objects.filter(code__in=EVENT_ACTIVITY_TYPES, is_active=True)


def _check_plan(*, title: str, activity_type, starts_at: datetime | None, capacity: int | None) -> None:
    if not title:
        raise InvalidInput("Give the event a title.", field="title")
    if activity_type is None or not event_activity_types().filter(pk=activity_type.pk).exists():
        raise InvalidInput("Choose the kind of event.", field="activity_type")
    if starts_at is None or starts_at <= timezone.now():
        raise InvalidInput("An event is planned for a time still to come.", field="starts_at")
    if timezone.localdate(starts_at) > a_year_after(timezone.localdate()):
        raise InvalidInput("Plan events within a year from today.", field="starts_at")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(f"The capacity goes from 1 to {MAX_CAPACITY} deals.", field="capacity")


def _speakers(speaker_ids: Sequence[int], activity_type: ActivityType, starts_at: datetime) -> list[Contact]:
    ids = list(dict.fromkeys(int(pk) for pk in speaker_ids or ()))
    if not ids:
        raise InvalidInput("Choose at least one speaker.", field="speakers")
    if len(ids) > MAX_SPEAKERS:
        raise InvalidInput(f"Choose at most {MAX_SPEAKERS} speakers.", field="speakers")
    found = Contact.objects.offerable().select_related("account").in_bulk(ids)
    if len(found) != len(ids):
        raise InvalidInput("One of the speakers is not available as a reference any more.", field="speakers")
    speakers = [found[pk] for pk in ids]
    day = timezone.localdate(starts_at)
    policy = LimitPolicy.current()
    for speaker in speakers:
        verdict = limit_check(contact=speaker, activity_type=activity_type, on_date=day)
        if not verdict.ok:
            raise InvalidInput(f"{speaker.full_name}: {verdict.reason}", field="speakers")
        if activity_type.counts_toward_limits:
            _check_planned_uses(speaker, day, verdict.slots, policy)
    return speakers


def _check_planned_uses(speaker: Contact, day, slots: int | None, policy: LimitPolicy) -> None:
    """The speaker's other events still planned count as the activities they will become: one
    within the program's rest of `day` is in the way, and together they may not take more slots
    than the limits leave (counted over a window either side of `day`, as each of them will count
    against the other once held)."""
    span = max(policy.window_days, policy.rest_days)
    others = [
        (timezone.localdate(starts_at), title)
        for starts_at, title in PlannedEvent.objects.filter(
            status=PlannedEventStatus.PLANNED,
            speakers=speaker,
            activity_type__counts_toward_limits=True,
            starts_at__date__range=(day - timedelta(days=span), day + timedelta(days=span)),
        )
        .order_by("starts_at", "id")
        .values_list("starts_at", "title")
    ]
    resting = [(on, title) for on, title in others if abs((on - day).days) < policy.rest_days]
    if resting:
        on, title = resting[0]
        raise InvalidInput(
            f"{speaker.full_name} already speaks at “{title}” on {day_text(on)} and rests "
            f"{policy.rest_days} days between activities.",
            field="speakers",
        )
    in_window = [title for on, title in others if abs((on - day).days) < policy.window_days]
    if slots is not None and len(in_window) >= slots:
        raise InvalidInput(
            f"{speaker.full_name} has no slot left for another event: {len(in_window)} planned within "
            f"{policy.window_days} days (“{in_window[0]}”…) take the {slots} the limits leave.",
            field="speakers",
        )


def planned_event_create(
    *,
    actor: User,
    title: str,
    activity_type: ActivityType,
    starts_at: datetime,
    capacity: int,
    speaker_ids: Sequence[int],
    duration_minutes: int = 60,
    notes: str = "",
) -> PlannedEvent:
    """Plan an event; each speaker must be offerable and, by the limits' live check, free on its
    day (the event will count once against each of them when it is recorded), with the events
    they already speak at still planned counted too: otherwise one speaker could be booked at any
    number of events, each passing the check alone."""
    title = (title or "").strip()
    _check_plan(title=title, activity_type=activity_type, starts_at=starts_at, capacity=capacity)
    if len(notes or "") > NOTE_MAX_LENGTH:
        raise InvalidInput(f"Keep the notes to {NOTE_MAX_LENGTH:,} characters.", field="notes")
    with transaction.atomic():
        # The speakers' rows locked first: two events planned at once for one speaker run one
        # after the other, and the second sees the first among the speaker's planned events.
        list(Contact.objects.select_for_update().filter(pk__in=[int(pk) for pk in speaker_ids or ()]))
        speakers = _speakers(speaker_ids, activity_type, starts_at)
        planned = PlannedEvent.objects.create(
            title=title,
            activity_type=activity_type,
            starts_at=starts_at,
            duration_minutes=duration_minutes or 60,
            capacity=capacity,
            notes=(notes or "").strip(),
            planned_by=actor,
        )
        planned.speakers.set(speakers)
    return planned


def _lock_planned(planned_event_id: int) -> PlannedEvent:
    """The planned event's row, locked; refused once it is recorded or cancelled."""
    planned = PlannedEvent.objects.select_for_update().filter(pk=planned_event_id).first()
    if planned is None:
        raise InvalidInput("This event no longer exists.")
    if not planned.is_planned:
        raise Conflict(f"“{planned.title}” is already {planned.get_status_display().lower()}.")
    return planned


def signable_deals(user: User):
    """The deals `user` may sign up to an event: their own, still open."""
    return Opportunity.objects.visible_to(user).filter(owner=user, outcome=Opportunity.Outcome.OPEN)


def event_signup(*, planned_event_id: int, opportunity: Opportunity, actor: User) -> EventSignup:
    """Sign one of the rep's open deals up to a planned event still to come, within its capacity
    (under the event's row lock: the last seat goes to one rep only) and once per deal."""
    if opportunity is None or not signable_deals(actor).filter(pk=opportunity.pk).exists():
        raise InvalidInput("Choose one of your open deals.", field="opportunity")
    with transaction.atomic():
        planned = _lock_planned(planned_event_id)
        if planned.starts_at <= timezone.now():
            raise Conflict(f"“{planned.title}” is no longer open for sign-ups.")
        if planned.signups.filter(opportunity=opportunity).exists():
            raise InvalidInput(
                f"{opportunity} is already signed up to “{planned.title}”.", field="opportunity"
            )
        if planned.signups.count() >= planned.capacity:
            raise Conflict(f"“{planned.title}” is full ({planned.capacity} deals).")
        try:
            with transaction.atomic():
                return EventSignup.objects.create(
                    planned_event=planned, opportunity=opportunity, signed_up_by=actor
                )
        except IntegrityError:  # the unique constraint, should a check above be bypassed
            raise InvalidInput(f"{opportunity} is already signed up.", field="opportunity") from None


def planned_event_record(
    *,
    planned_event_id: int,
    actor: User,
    attended_signup_ids: Sequence[int],
    speaker_ids: Sequence[int],
    feedback: str = "",
) -> PlannedEvent:
    """Record a planned event once it took place: which signed-up deals attended, which planned
    speakers spoke, and the program's feedback. Writes the Event and one activity per speaker
    linked to every attended deal (`write_event`); a second recording is a Conflict."""
    with transaction.atomic():
        planned = _lock_planned(planned_event_id)
        if planned.starts_at > timezone.now():
            raise InvalidInput("An event is recorded once it has happened.", field="speakers")
        speakers = list(planned.speakers.select_related("account").filter(pk__in=set(speaker_ids or ())))
        if not speakers:
            raise InvalidInput("Choose who spoke.", field="speakers")
        signups = list(planned.signups.all())
        attended = {int(pk) for pk in attended_signup_ids or ()}
        if attended - {s.pk for s in signups}:
            raise InvalidInput("Choose deals signed up to this event.", field="attended")
        event, _activities = write_event(
            actor=actor,
            title=planned.title,
            activity_type=planned.activity_type,
            occurred_on=timezone.localdate(planned.starts_at),
            duration_minutes=planned.duration_minutes,
            notes=(feedback or "").strip()
            or f"Planned event of {day_text(timezone.localdate(planned.starts_at))}.",
            speakers=speakers,
            opportunity_ids={s.opportunity_id for s in signups if s.pk in attended},
        )
        for signup in signups:
            EventSignup.objects.filter(pk=signup.pk).update(attended=signup.pk in attended)
        PlannedEvent.objects.filter(pk=planned.pk).update(
            status=PlannedEventStatus.RECORDED, event=event, feedback=(feedback or "").strip()
        )
        planned.refresh_from_db()
    return planned


def planned_event_cancel(*, planned_event_id: int, actor: User, reason: str) -> PlannedEvent:
    """Call off a planned event not recorded yet, saying why: its sign-ups stay, for the record,
    and the reps who signed deals up are told in the same transaction (`event_notices`)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the event is called off; the reps who signed up read it.", field="reason")
    with transaction.atomic():
        planned = _lock_planned(planned_event_id)
        PlannedEvent.objects.filter(pk=planned.pk).update(
            status=PlannedEventStatus.CANCELLED, cancel_reason=reason
        )
        planned.status, planned.cancel_reason = PlannedEventStatus.CANCELLED, reason
        tell_cancelled(planned, actor)
    return planned

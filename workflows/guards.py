"""The guards and effects the transition table refers to (workflows/transitions.py).

A guard checks the payload and the world before a transition and raises a domain error when it
must not happen; it leaves cleaned values in `ctx.cleaned`. An effect returns the request fields
the transition sets (and may write related rows, inside the same transaction).
"""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.dates import OUT_OF_RANGE, day_text, in_range, moment_text
from core.errors import Conflict, InvalidInput, NeedsConfirmation
from limits.services import limit_enforce
from references.models import Contact, ReferenceActivity
from references.outbound import activities_recorded
from references.statuses import ReferenceStatus
from requests_app.models import OfferedSlot, ReferenceRequest, RequestFeedback, RequestStatus
from workflows.machine import Actor, TransitionContext
from workflows.models import RequestActivity
from workflows.querysets import participants_for, request_managers

# --- The burnout-limit plug point -----------------------------------------------------------


def guard_contact_available(
    *, contact: Contact, request: ReferenceRequest, actor: User | None, override_reason: str = ""
) -> None:
    """Refuse a contact who may not be asked for `request` now.

    Called — with the contact row locked — when a manager approves a request with a contact and
    when the account owner's approval asks the customer. This is where burnout limits are
    enforced inside the approval transaction; `override_reason` is a manager's written reason to
    use a contact at a limit (kept in the history note).
    """
    # The catalogue's one definition of who may be offered (references.querysets.OFFERABLE),
    # evaluated by the database on the locked row; the refusal names the condition it fails.
    refusal = Contact.objects.offerable_refusal(contact)
    if refusal:
        raise Conflict(refusal, field="contact")
    if contact.status == ReferenceStatus.RESTING and not override_reason.strip():
        raise Conflict(
            f"{contact.full_name} is resting at a usage limit. Give a written reason to override it.",
            field="contact",
        )
    # Burnout limits, counted under the contact's and the account's row locks (limits.services).
    limit_enforce(
        contact=contact,
        activity_type=request.activity_type,
        on_date=timezone.localdate(),
        actor=actor,
        override_reason=override_reason,
        request=request,
    )


def _lock_contact(contact_id: Any) -> Contact:
    try:
        pk = int(getattr(contact_id, "pk", contact_id))
    except (TypeError, ValueError):
        raise InvalidInput("Choose a contact.", field="contact") from None
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("account", "preferences")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise InvalidInput("Choose a contact.", field="contact")
    return contact


# --- Guards ---------------------------------------------------------------------------------


def contact_available(ctx: TransitionContext) -> None:
    contact = _lock_contact(ctx.payload.get("contact"))
    guard_contact_available(
        contact=contact,
        request=ctx.request,
        actor=ctx.actor,
        override_reason=ctx.payload.get("override_reason", ""),
    )
    if not contact.preferences.activity_types.filter(pk=ctx.request.activity_type_id).exists():
        raise InvalidInput(
            f"{contact.full_name} has not agreed to do this kind of activity "
            f"({ctx.request.activity_type.name.lower()}).",
            field="contact",
        )
    ctx.cleaned["contact"] = contact


def chosen_contact_available(ctx: TransitionContext) -> None:
    if ctx.request.chosen_contact_id is None:
        raise Conflict("No contact has been chosen for this request.")
    contact = _lock_contact(ctx.request.chosen_contact_id)
    guard_contact_available(
        contact=contact,
        request=ctx.request,
        actor=ctx.actor,
        override_reason=ctx.payload.get("override_reason", ""),
    )


def on_behalf_of_owner(ctx: TransitionContext) -> None:
    """A manager answers for the account owner: the history row names the owner it stands in for."""
    owner = ctx.request.chosen_contact.account.owner if ctx.request.chosen_contact_id else None
    if owner is not None:
        name = owner.get_full_name() or owner.get_username()
        ctx.cleaned["history_note"] = f"On behalf of {name}, the account owner: {ctx.note}"


def approval_for_owner(ctx: TransitionContext) -> None:
    """A manager approves for the account owner: named in the history, then the same check as
    the owner's own approval."""
    on_behalf_of_owner(ctx)
    chosen_contact_available(ctx)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            return None
    else:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def schedule_given(ctx: TransitionContext) -> None:
    moment = _as_datetime(ctx.payload.get("scheduled_for"))
    if moment is None:
        raise InvalidInput("Give the date and time it is scheduled for.", field="scheduled_for")
    if moment <= ctx.now:
        raise InvalidInput("The scheduled time must be in the future.", field="scheduled_for")
    if not in_range(moment):  # the task due times count business hours up to it
        raise InvalidInput(OUT_OF_RANGE, field="scheduled_for")
    if not ctx.payload.get(SCHEDULE_ANYWAY):
        _warn_if_late(ctx.request, moment)
    ctx.cleaned["scheduled_for"] = moment


# The yes/no input that confirms a time after the needed-by date or the deal's close.
SCHEDULE_ANYWAY = "schedule_anyway"


def late_reasons(request: ReferenceRequest, moment: datetime) -> list[str]:
    """Why `moment` is late for `request` (after its needed-by date, after its deal's close), in
    the active zone; [] when it is not. The manager's page says them beside a customer's offered
    time, whose button then confirms in the same click (the time was offered, not typed)."""
    day = timezone.localdate(moment)
    late = []
    if day > request.needed_by:
        late.append(f"after the needed-by date ({day_text(request.needed_by)})")
    deal = request.opportunity if request.opportunity_id else None
    if deal is not None and day > deal.close_date:
        late.append(f"after the deal's close date ({day_text(deal.close_date)})")
    return late


def _warn_if_late(request: ReferenceRequest, moment: datetime) -> None:
    """A call after the day it was needed by, or after the deal closes, may still be wanted (the
    prospect moved the date) but is more often a typo: it asks for a confirmation."""
    late = late_reasons(request, moment)
    if late:
        raise NeedsConfirmation(
            f"{moment_text(moment, with_zone=True)} is {' and '.join(late)}. Schedule anyway?",
            field="scheduled_for",
            confirm=SCHEDULE_ANYWAY,
        )


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value.strip())
        except ValueError:
            return None
    return None


def _ids(values: Any, field: str, message: str) -> set[int]:
    """Primary keys of model instances or integers; anything else refused on `field`."""
    if not isinstance(values, (list, tuple, set, frozenset)):
        values = [values]
    ids = set()
    for value in values:
        pk = getattr(value, "pk", value)
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise InvalidInput(message, field=field)
        ids.add(pk)
    return ids


def _participants(ctx: TransitionContext) -> list[Contact]:
    """The contacts who took part (the chosen contact unless named), each at the chosen contact's
    account (`participants_for`); anyone else is refused without naming them."""
    request = ctx.request
    given = ctx.payload.get("participants")
    if not given and request.chosen_contact_id:
        given = [request.chosen_contact_id]
    message = "Choose the contacts who took part."
    ids = _ids(given or [], "participants", message)
    if not ids:
        raise InvalidInput(message, field="participants")
    contacts = list(participants_for(request).select_related("account").filter(pk__in=ids).order_by("pk"))
    if len(contacts) != len(ids):
        account = request.chosen_contact.account.name if request.chosen_contact_id else "the chosen account"
        raise InvalidInput(
            f"The participants must be people at {account}, the account of the approved contact.",
            field="participants",
        )
    return contacts


def _event_activities(ctx: TransitionContext) -> list[ReferenceActivity]:
    """Activities already recorded by an event: only those of an event that serves this request
    (one per speaker, `workflows.events.event_record`)."""
    given = list(ctx.payload["activities"])
    ids = _ids(given, "participants", "Choose the contacts who took part.")
    served = ReferenceActivity.objects.filter(pk__in=ids, events__requests=ctx.request).distinct()
    if served.count() != len(ids):
        raise InvalidInput(
            "Only the speakers of an event that served this request can be recorded for it.",
            field="participants",
        )
    return given


def _check_held_on(ctx: TransitionContext, occurred_on: date) -> None:
    """An activity is recorded once it has happened: not in the future, not before the request
    asked for it, not before the time it was scheduled for (days in the reader's zone)."""
    if occurred_on > timezone.localdate(ctx.now):
        raise InvalidInput(
            "An activity is recorded once it has happened: give today's date or an earlier one.",
            field="occurred_on",
        )
    asked_on = timezone.localdate(ctx.request.created_at)
    if occurred_on < asked_on:
        raise InvalidInput(
            f"The request was made on {day_text(asked_on)}: the activity cannot have happened before.",
            field="occurred_on",
        )
    scheduled = ctx.request.scheduled_for
    if scheduled is not None and occurred_on < timezone.localdate(scheduled):
        raise InvalidInput(
            f"It was scheduled for {moment_text(scheduled)}: give that day or a later one.",
            field="occurred_on",
        )


def activity_details(ctx: TransitionContext) -> None:
    """Either activities recorded already (an event) or the date, duration and participants."""
    if ctx.payload.get("activities"):
        ctx.cleaned["activities"] = _event_activities(ctx)
        return
    occurred_on = _as_date(ctx.payload.get("occurred_on"))
    if occurred_on is None:
        raise InvalidInput("Give the date it happened.", field="occurred_on")
    _check_held_on(ctx, occurred_on)
    duration = ctx.payload.get("duration_minutes")
    if duration in ("", None):
        duration = None
    else:
        try:
            duration = int(duration)
        except (TypeError, ValueError):
            raise InvalidInput("Give the duration in minutes.", field="duration_minutes") from None
        if not 0 < duration <= 24 * 60:
            raise InvalidInput("The duration must be between 1 and 1440 minutes.", field="duration_minutes")
    ctx.cleaned.update(occurred_on=occurred_on, duration_minutes=duration, participants=_participants(ctx))


def assignee_is_manager(ctx: TransitionContext) -> None:
    """The assignee (a user or a user's id) must be an active reference manager (`request_managers`)."""
    message = "Choose a reference manager."
    assignee = ctx.payload.get("assignee")
    if assignee in (None, ""):
        raise InvalidInput(message, field="assignee")
    ids = _ids(assignee, "assignee", message)
    found = request_managers().filter(pk__in=ids).first() if len(ids) == 1 else None
    if found is None:
        raise InvalidInput(message, field="assignee")
    ctx.cleaned["assignee"] = found


def past_needed_by(ctx: TransitionContext) -> None:
    if ctx.request.needed_by >= timezone.localdate(ctx.now):
        raise Conflict(f"Request #{ctx.request.pk} is not past its needed-by date.")


def feedback_or_manager(ctx: TransitionContext) -> None:
    if Actor.MANAGER in ctx.relations:
        return
    if not RequestFeedback.objects.filter(request=ctx.request).exists():
        raise InvalidInput("Give your feedback on the activity before closing the request.")


# --- Effects --------------------------------------------------------------------------------


def record_activity(ctx: TransitionContext) -> dict[str, Any]:
    """One ReferenceActivity per participant, linked to the opportunity and to the request."""
    activities = ctx.cleaned.get("activities")
    if activities is None:
        request = ctx.request
        activities = []
        for contact in ctx.cleaned["participants"]:
            activity = ReferenceActivity.objects.create(
                contact=contact,
                account=contact.account,
                activity_type_id=request.activity_type_id,
                occurred_on=ctx.cleaned["occurred_on"],
                duration_minutes=ctx.cleaned["duration_minutes"],
                notes=ctx.note,
                recorded_by=ctx.actor,
            )
            if request.opportunity_id:
                activity.opportunities.add(request.opportunity_id)
            activities.append(activity)
        deals = [request.opportunity_id] if request.opportunity_id else []
        activities_recorded(activities, deal_ids=deals, request_id=request.pk)
    RequestActivity.objects.bulk_create(
        [RequestActivity(request=ctx.request, activity=activity) for activity in activities],
        ignore_conflicts=True,
    )
    return {}


def assign_actor(ctx: TransitionContext) -> dict[str, Any]:
    return {"assigned_manager": ctx.actor}


def assign_manager(ctx: TransitionContext) -> dict[str, Any]:
    return {"assigned_manager": ctx.cleaned["assignee"]}


def choose_contact(ctx: TransitionContext) -> dict[str, Any]:
    return {"chosen_contact": ctx.cleaned["contact"]}


def remember_resume(ctx: TransitionContext) -> dict[str, Any]:
    """Remember where a request paused for information goes back to."""
    return {"resume_status": ctx.request.status}


def resume(ctx: TransitionContext) -> dict[str, Any]:
    return {"resume_status": ""}


def clear_contact(ctx: TransitionContext) -> dict[str, Any]:
    """The contact is no longer asked: their code no longer verifies an ask, their offered
    times go."""
    OfferedSlot.objects.filter(request=ctx.request).delete()
    return {"chosen_contact": None, "scheduled_for": None, "verification_code": None}


def set_schedule(ctx: TransitionContext) -> dict[str, Any]:
    return {"scheduled_for": ctx.cleaned["scheduled_for"]}


def resume_target(request: ReferenceRequest) -> str:
    """Where a request paused for information goes back to (in review if unknown)."""
    return request.resume_status or RequestStatus.IN_REVIEW

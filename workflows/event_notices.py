"""Who hears about a planned event called off: the reps whose deals were signed up (and who
signed them up), told why. Registered from WorkflowsConfig.ready(); written under a key naming
the event, so writing twice writes once."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from core.links import url_or
from notifications.kinds import Kind, register
from notifications.message import Message
from notifications.services import notify
from workflows.models import EventSignup, PlannedEvent

PLANNED_EVENT_CANCELLED = Kind("planned_event_cancelled", "Planned event called off (to the reps signed up)")


def register_event_kinds() -> None:
    register((PLANNED_EVENT_CANCELLED,))


def tell_cancelled(planned: PlannedEvent, actor: User | None) -> None:
    signups = EventSignup.objects.filter(planned_event=planned)
    reps = get_user_model().objects.filter(
        pk__in={
            pk for row in signups.values_list("opportunity__owner_id", "signed_up_by_id") for pk in row if pk
        }
    )
    by = "The program" if actor is None else actor.get_full_name() or actor.get_username()
    message = Message(
        f"Called off: {planned.title}",
        f"{by} called off “{planned.title}”, which your deals were signed up to. "
        f"Why: {planned.cancel_reason}",
        url_or("sales:events", "/"),
    )
    notify(
        kind=PLANNED_EVENT_CANCELLED.code,
        key=f"planned_event:{planned.pk}:cancelled",
        message=message,
        users=reps,
        actor=actor,
    )

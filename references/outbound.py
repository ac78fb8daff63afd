"""What the catalogue sends out as webhooks (webhooks.outbox), in the transaction of the change:
activities recorded and contacts' status changes. Ids and codes only, never a contact's name,
email or phone: the receivers are outside systems."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from references.models import ActivityType, Contact, ReferenceActivity
from webhooks.outbox import listening, webhook_emit_many
from webhooks.statuses import EventType


def activities_recorded(
    activities: Sequence[ReferenceActivity], *, deal_ids: Iterable[int], request_id: int | None = None
) -> None:
    """`activity.recorded` for each activity (all linked to the same deals)."""
    if not activities or not listening(EventType.ACTIVITY_RECORDED):
        return
    codes = dict(
        ActivityType.objects.filter(pk__in={a.activity_type_id for a in activities}).values_list("pk", "code")
    )
    deals = sorted(set(deal_ids))
    webhook_emit_many(
        EventType.ACTIVITY_RECORDED,
        [
            {
                "activity_id": activity.pk,
                "contact_id": activity.contact_id,
                "account_id": activity.account_id,
                "activity_type": codes.get(activity.activity_type_id),
                "occurred_on": activity.occurred_on,
                "duration_minutes": activity.duration_minutes,
                "opportunity_ids": deals,
                "request_id": request_id,
                "recorded_by_id": activity.recorded_by_id,
            }
            for activity in activities
        ],
    )


def contacts_status_changed(
    moves: Iterable[tuple[int, int, str, str]], *, actor_id: int | None, at: datetime
) -> None:
    """`contact.status_changed` for each (contact id, account id, from, to) that changed."""
    payloads = [
        {
            "contact_id": contact_id,
            "account_id": account_id,
            "from_status": from_status,
            "to_status": to_status,
            "actor_id": actor_id,
            "at": at,
        }
        for contact_id, account_id, from_status, to_status in moves
        if from_status != to_status
    ]
    if payloads:
        webhook_emit_many(EventType.CONTACT_STATUS_CHANGED, payloads)


def contact_rows(contacts: Iterable[Contact], to_status: str) -> list[tuple[int, int, str, str]]:
    """The (contact, account, from, to) rows of contacts about to move to `to_status`."""
    return [(c.pk, c.account_id, c.status, to_status) for c in contacts]

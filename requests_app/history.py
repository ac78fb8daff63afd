"""Writing a request's history: the one place a RequestEvent is created.

A row that moves the request to another status is also written to the webhooks outbox
(`request.status_changed`), in the same transaction: ids and codes only."""

from typing import Any

from requests_app.models import RequestEvent
from webhooks.outbox import webhook_emit
from webhooks.statuses import EventType


def request_event_write(**fields: Any) -> RequestEvent:
    """Create the history row `fields` describe (RequestEvent's fields), inside the caller's
    transaction; a status change (to another status) is sent out as a webhook too."""
    event = RequestEvent.objects.create(**fields)
    if event.to_status and event.to_status != event.from_status:
        webhook_emit(
            EventType.REQUEST_STATUS_CHANGED,
            {
                "request_id": event.request_id,
                "opportunity_id": event.request.opportunity_id,
                "action": event.action,
                "from_status": event.from_status or None,
                "to_status": event.to_status,
                "actor_id": event.actor_id,
                "actor_contact_id": event.actor_contact_id,
                "at": event.created_at,
            },
        )
    return event

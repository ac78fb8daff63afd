"""The Standard Webhooks envelope: the body sent for a message and the headers that sign it."""

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from standardwebhooks.webhooks import Webhook

from webhooks.models import Message


def body_of(message: Message) -> bytes:
    """The JSON body: `type`, `timestamp` (when it happened) and `data` (the payload); the same
    bytes at every attempt."""
    envelope = {"type": message.event_type, "timestamp": message.created_at, "data": message.payload}
    return json.dumps(envelope, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(*, secret: str, webhook_id: str, at: datetime, body: bytes) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp` (this attempt, seconds) and `webhook-signature`."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
        "content-type": "application/json",
        "user-agent": "RMS-Webhooks/1",
    }

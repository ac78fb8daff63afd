"""`limit.reached` webhooks: one per contact a run of the limits job found newly held by a limit,
written in the job's transaction (webhooks.outbox). Ids and codes only."""

from datetime import datetime

from limits.rules import VerdictChange
from webhooks.outbox import listening, webhook_emit_many
from webhooks.statuses import EventType

# The run's newly limited contacts (`limits_changes`), with what their verdict says (`limits_diff`).
REACHED = """
SELECT ch.contact_id, d.account_id, d.limit_code, d.available_from
FROM limits_changes ch JOIN limits_diff d ON d.contact_id = ch.contact_id
WHERE ch.change = %(reached)s
ORDER BY ch.contact_id
"""


def limits_reached_emit(*, cursor, at: datetime) -> int:
    """Write a `limit.reached` message per contact that reached a limit in this run (the job's
    temporary tables must exist); how many. Nothing read when no subscription listens."""
    if not listening(EventType.LIMIT_REACHED):
        return 0
    cursor.execute(REACHED, {"reached": VerdictChange.REACHED})
    payloads = [
        {
            "contact_id": contact_id,
            "account_id": account_id,
            "limit_code": limit_code,
            "available_from": available_from,
            "at": at,
        }
        for contact_id, account_id, limit_code, available_from in cursor.fetchall()
    ]
    return len(webhook_emit_many(EventType.LIMIT_REACHED, payloads))

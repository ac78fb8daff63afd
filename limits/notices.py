"""Telling people who reached a limit, was freed from one or came near one (one run of the job).

One summary per reference manager (everyone who changed) and per account owner (their accounts'
contacts), built from a bounded sample of names per change: a run that moves thousands of
contacts still writes a handful of rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from core.links import url_or
from core.roles import Role, users_with_role
from limits.models import LimitRun
from limits.rules import VerdictChange
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify_each

LIMIT_CHANGES = Kind(
    "limit_changes",
    "Contacts reaching, freed from or near a limit (managers, owners)",
    default=Delivery.DIGEST,
)


def register_kinds() -> None:
    register([LIMIT_CHANGES])


SAMPLE = 8  # names listed per change; the rest are counted

SUMMARY = """
SELECT owner_id, change, n, first_name, last_name, account_name FROM (
    SELECT a.owner_id, ch.change,
        COUNT(*) OVER (PARTITION BY a.owner_id, ch.change) AS n,
        ROW_NUMBER() OVER (PARTITION BY a.owner_id, ch.change ORDER BY a.name, c.last_name, c.id) AS rn,
        c.first_name, c.last_name, a.name AS account_name
    FROM limits_changes ch
    JOIN references_contact c ON c.id = ch.contact_id
    JOIN references_account a ON a.id = c.account_id
) per_owner WHERE rn <= %(sample)s
UNION ALL
SELECT NULL, change, n, first_name, last_name, account_name FROM (
    SELECT ch.change,
        COUNT(*) OVER (PARTITION BY ch.change) AS n,
        ROW_NUMBER() OVER (PARTITION BY ch.change ORDER BY a.name, c.last_name, c.id) AS rn,
        c.first_name, c.last_name, a.name AS account_name
    FROM limits_changes ch
    JOIN references_contact c ON c.id = ch.contact_id
    JOIN references_account a ON a.id = c.account_id
) everyone WHERE rn <= %(sample)s
"""

HEADINGS = {
    VerdictChange.REACHED: "Reached a limit (resting until a slot frees)",
    VerdictChange.FREED: "Freed from a limit",
    VerdictChange.NEAR: "Near a limit",
}
SHORT = {
    VerdictChange.REACHED: "reached a limit",
    VerdictChange.FREED: "freed",
    VerdictChange.NEAR: "near one",
}


@dataclass
class _Summary:
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def message(self, link: str) -> Message:
        parts = [f"{self.counts[change]} {SHORT[change]}" for change in HEADINGS if change in self.counts]
        lines = []
        for change, heading in HEADINGS.items():
            if change not in self.counts:
                continue
            listed = self.names[change]
            more = self.counts[change] - len(listed)
            lines.append(f"{heading}: {', '.join(listed)}{f', and {more} more' if more else ''}.")
        return Message(f"Burnout limits: {', '.join(parts)}", "\n".join(lines), link)


def _summaries(cursor) -> dict[int | None, _Summary]:
    cursor.execute(SUMMARY, {"sample": SAMPLE})
    summaries: dict[int | None, _Summary] = defaultdict(_Summary)
    for owner_id, change, count, first_name, last_name, account_name in cursor.fetchall():
        summary = summaries[owner_id]
        summary.counts[change] = count
        summary.names[change].append(f"{first_name} {last_name} ({account_name})")
    return summaries


def limit_changes_notify(*, cursor, run: LimitRun) -> int:
    """Write the run's summaries (in the job's transaction; `limits_changes` must exist)."""
    summaries = _summaries(cursor)
    messages = []
    everyone = summaries.pop(None, None)
    if everyone is not None:
        link = url_or("manage:contacts", url_or("manage:home", "/"))
        messages.append((everyone.message(link), list(users_with_role(Role.MANAGER))))
    owners = User.objects.in_bulk([owner_id for owner_id in summaries if owner_id is not None])
    owner_link = url_or("sales:home", "/")
    for owner_id, summary in summaries.items():
        owner = owners.get(owner_id)
        if owner is not None:
            messages.append((summary.message(owner_link), [owner]))
    return notify_each(kind=LIMIT_CHANGES.code, key=f"limits:{run.pk}", messages=messages)

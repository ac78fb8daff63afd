"""What a contact changes in the portal about how they take part, and who is told.

Every change goes through the catalogue's one writer of preferences (`references.services`), with
`PORTAL` as its source, so each consent it gives or withdraws is a ledger entry in the same
transaction; offerability is read live, so search and approvals follow at once, and the own cap
is read live by the limits (`limits.selectors.availability_for`). Then the contact's reference
managers (the managers stewarding the account, else every manager) and the account's owner are
told what changed, in English, with a link to the manager's contact page.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone, translation

from core.dates import day_text, known_zones
from core.errors import InvalidInput
from core.links import url_or
from core.roles import Role, users_with_role
from notifications.kinds import Delivery, Kind, register
from notifications.message import Message
from notifications.services import notify
from references.models import ActivityType, BlackoutPeriod, Contact, ParticipationPreferences
from references.services import PORTAL, contact_update
from references.services import preferences as self_service

PORTAL_LANGUAGES = ("en", "de")

PREFERENCES_CHANGED = Kind(
    "contact_preferences_changed",
    "A customer changed how they take part (their managers, the account owner)",
    default=Delivery.BOTH,
)


def register_kinds() -> None:
    register([PREFERENCES_CHANGED])


@transaction.atomic
def preferences_change(
    *,
    contact: Contact,
    activity_types: Iterable[ActivityType],
    own_cap_per_quarter: int | None,
    preferred_channel: str,
    topics_to_avoid: str,
    wants_in_return: str,
    language: str,
    time_zone: str,
) -> list[str]:
    """Save what the contact set in the portal's preferences form; returns what changed (the
    lines the managers and owner read), empty if nothing did."""
    if language not in PORTAL_LANGUAGES:
        raise InvalidInput("Choose English or German.", field="language")
    if time_zone not in known_zones():
        raise InvalidInput("Choose a time zone from the list.", field="time_zone")
    before = _snapshot(contact)
    types = list(activity_types)
    values = {
        "activity_types": types,
        "own_cap_per_quarter": own_cap_per_quarter,
        "preferred_channel": preferred_channel,
        "topics_to_avoid": topics_to_avoid or "",
        "wants_in_return": wants_in_return or "",
    }
    saved = contact_update(
        contact=contact, preferences=values, consent=PORTAL, language=language, time_zone=time_zone
    )
    lines = _differences(before, _snapshot(saved, types))
    _tell(saved, lines)
    return lines


@transaction.atomic
def pause(*, contact: Contact, days: int) -> date:
    """Pause me for `days` days; returns the pause's last day."""
    saved = self_service.contact_pause(contact=contact, days=days, source=PORTAL)
    _tell(
        contact, [f"Paused by the contact until {day_text(saved.paused_until)} (not offered, not approved)."]
    )
    return saved.paused_until


@transaction.atomic
def unpause(*, contact: Contact) -> None:
    self_service.contact_unpause(contact=contact, source=PORTAL)
    _tell(contact, ["Ended their pause: may be offered again."])


@transaction.atomic
def opt_out(*, contact: Contact) -> None:
    """Stop asking me: withdraws the consent to take part."""
    self_service.contact_opt_out(contact=contact, source=PORTAL)
    _tell(contact, ["Opted out of the reference program: stop asking them (no search, no approval)."])


@transaction.atomic
def opt_in(*, contact: Contact) -> None:
    """Take part again: gives the consent to take part."""
    self_service.contact_opt_in(contact=contact, source=PORTAL)
    _tell(contact, ["Takes part in the reference program again."])


@transaction.atomic
def blackout_add(*, contact: Contact, start: date, end: date, reason: str = "") -> BlackoutPeriod:
    blackout = self_service.blackout_add(contact=contact, start=start, end=end, reason=reason)
    _tell(contact, [f"Added blackout dates: {_period(blackout)}."])
    return blackout


@transaction.atomic
def blackout_remove(*, contact: Contact, blackout_id: int) -> bool:
    blackout = BlackoutPeriod.objects.filter(contact=contact, pk=blackout_id).first()
    if blackout is None or not self_service.blackout_remove(contact=contact, blackout_id=blackout_id):
        return False
    _tell(contact, [f"Removed blackout dates: {_period(blackout)}."])
    return True


# --- what changed, and who is told -----------------------------------------------------------


def _snapshot(contact: Contact, types: list[ActivityType] | None = None) -> dict:
    preferences = ParticipationPreferences.objects.filter(contact=contact).first()
    if types is None:
        types = list(preferences.activity_types.all()) if preferences else []
    return {
        "Will do": sorted(t.name for t in types),
        "Cap per quarter": getattr(preferences, "own_cap_per_quarter", None),
        "Preferred channel": preferences.get_preferred_channel_display() if preferences else "",
        "Topics to avoid": (getattr(preferences, "topics_to_avoid", "") or "").strip(),
        "Wants in return": (getattr(preferences, "wants_in_return", "") or "").strip(),
        "Language": contact.language,
        "Time zone": contact.time_zone,
    }


def _differences(before: dict, after: dict) -> list[str]:
    lines = []
    added = [name for name in after["Will do"] if name not in before["Will do"]]
    removed = [name for name in before["Will do"] if name not in after["Will do"]]
    if added:
        lines.append(f"Now willing to do: {', '.join(added)}.")
    if removed:
        lines.append(f"No longer willing to do: {', '.join(removed)}.")
    for label in list(before)[1:]:
        if before[label] != after[label]:
            lines.append(f"{label}: {_shown(before[label])} → {_shown(after[label])}.")
    return lines


def _shown(value) -> str:
    if value is None or value == "":
        return "none"
    text = str(value)
    return text if len(text) <= 200 else f"{text[:200]}…"


def _period(blackout: BlackoutPeriod) -> str:
    reason = f" ({blackout.reason})" if blackout.reason else ""
    return f"{day_text(blackout.start)} – {day_text(blackout.end)}{reason}"


def _tell(contact: Contact, lines: list[str]) -> None:
    """Tell the contact's managers and the account's owner what the contact changed."""
    if not lines:
        return
    account = contact.account
    managers = users_with_role(Role.MANAGER)
    stewards = list(managers.filter(stewarded_accounts=account))
    recipients = [*(stewards or managers), *([account.owner] if account.owner_id else [])]
    with translation.override("en"):
        title = f"{contact.full_name} ({account.name}) changed how they take part"
        message = Message(title, "\n".join(lines), url_or("manage:contact", "/manage/", contact.pk))
        stamp = timezone.now().isoformat()
        notify(
            kind=PREFERENCES_CHANGED.code,
            key=f"contact-preferences:{contact.pk}:{stamp}",
            message=message,
            users=recipients,
        )

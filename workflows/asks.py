"""The customer's side of an ask: the guard and effects of the rows that ask a customer and that
the customer takes from the portal (workflows/transitions.py).

Accepting offers 2–5 times. Rules, each refused with InvalidInput naming the slot ("slot_2") or
"slots" for the whole offer, nothing saved:
- each time is a start and a length (15 minutes to 8 hours), in the future, at most a year ahead
  (and within the years RMS takes, core.dates);
- no two overlap.
A time after the request's needed-by date is allowed (a soft rule): the customer offers what
they can, the portal shows the needed-by date beside the form, and the manager who schedules a
late time gets the usual "Schedule anyway?" confirmation (workflows.guards._warn_if_late).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import a_year_after, in_range
from core.errors import InvalidInput
from requests_app.codes import new_code
from requests_app.models import OfferedSlot, ReferenceRequest
from workflows.machine import TransitionContext

MIN_SLOTS, MAX_SLOTS = 2, 5
MIN_MINUTES, MAX_MINUTES = 15, 8 * 60


@dataclass(frozen=True)
class Slot:
    """One offered time: its start (aware) and its length in minutes."""

    starts_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def _slot(value: Any, number: int) -> Slot:
    """A Slot from a Slot, a (start, minutes) pair or a {"starts_at", "minutes"} mapping."""
    field = f"slot_{number}"
    if isinstance(value, Slot):
        start, minutes = value.starts_at, value.minutes
    elif isinstance(value, dict):
        start, minutes = value.get("starts_at"), value.get("minutes")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        start, minutes = value
    else:
        raise InvalidInput(
            _("Time %(n)s: give a date, a start time and a length.") % {"n": number}, field=field
        )
    if not isinstance(start, datetime):
        raise InvalidInput(_("Time %(n)s: give a date and a start time.") % {"n": number}, field=field)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidInput(_("Time %(n)s: give its length in minutes.") % {"n": number}, field=field)
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    # In UTC: a length is real time, so a slot across a clock change ends `minutes` later (adding
    # to a zoned time adds to the wall clock: 60 minutes from 01:30 on the fall-back night became
    # two hours, and one starting in the spring-forward gap ended when it started).
    return Slot(start.astimezone(UTC), minutes)


def _check_slot(slot: Slot, number: int, now: datetime) -> None:
    field = f"slot_{number}"
    if not in_range(slot.starts_at) or not in_range(slot.ends_at):
        raise InvalidInput(_("Time %(n)s: give a date within the next year.") % {"n": number}, field=field)
    if slot.starts_at <= now:
        raise InvalidInput(_("Time %(n)s is in the past: offer a future time.") % {"n": number}, field=field)
    if slot.starts_at.date() > a_year_after(now.date()):
        raise InvalidInput(_("Time %(n)s: give a date within the next year.") % {"n": number}, field=field)
    if not MIN_MINUTES <= slot.minutes <= MAX_MINUTES:
        raise InvalidInput(
            _("Time %(n)s: the length must be between %(low)s minutes and %(high)s hours.")
            % {"n": number, "low": MIN_MINUTES, "high": MAX_MINUTES // 60},
            field=field,
        )


def clean_slots(values: Any, *, now: datetime) -> list[Slot]:
    """The offered times, checked (see the module's rules), earliest first."""
    if not isinstance(values, (list, tuple)) or not MIN_SLOTS <= len(values) <= MAX_SLOTS:
        raise InvalidInput(
            _("Offer between %(low)s and %(high)s times.") % {"low": MIN_SLOTS, "high": MAX_SLOTS},
            field="slots",
        )
    slots = []
    for number, value in enumerate(values, start=1):
        slot = _slot(value, number)
        _check_slot(slot, number, now)
        slots.append((slot, number))
    slots.sort(key=lambda pair: pair[0].starts_at)
    for (before, _n), (after, number) in zip(slots, slots[1:], strict=False):
        if after.starts_at < before.ends_at:
            raise InvalidInput(
                _("Time %(n)s overlaps another time you offered.") % {"n": number}, field=f"slot_{number}"
            )
    return [slot for slot, _n in slots]


# --- Guard and effects of the table ---------------------------------------------------------


def slots_given(ctx: TransitionContext) -> None:
    ctx.cleaned["slots"] = clean_slots(ctx.payload.get("slots"), now=ctx.now)


def store_slots(ctx: TransitionContext) -> dict[str, Any]:
    """The offer replaces any earlier one."""
    OfferedSlot.objects.filter(request=ctx.request).delete()
    OfferedSlot.objects.bulk_create(
        [
            OfferedSlot(
                request=ctx.request, starts_at=slot.starts_at, ends_at=slot.ends_at, offered_at=ctx.now
            )
            for slot in ctx.cleaned["slots"]
        ]
    )
    return {}


def issue_verification_code(ctx: TransitionContext) -> dict[str, Any]:
    """Asking the customer gives the ask a fresh code (requests_app.codes)."""
    return {"verification_code": unused_code()}


def unused_code() -> str:
    """A code no request holds (a clash is one in 10^11; drawn again then)."""
    while True:
        code = new_code()
        if not ReferenceRequest.objects.filter(verification_code=code).exists():
            return code

"""The live check's answer about one contact, and the one figure people read from it.

`Availability` is what `limits.live_check` finds on a date: every limit in the way, the first
free day, and the free slots under the tightest count limit. Its `slots` and `slots_text` are
the figure every screen shows — the sales card, the manager's request page — and `ok` is what
the approval's guard enforces (`limits.services.limit_enforce`), so what a rep reads is what an
approval will do: `slots` further activities can be approved now, and no more.
"""

from dataclasses import dataclass
from datetime import date

from core.dates import day_text
from limits.rules import Cap, LimitCode


@dataclass(frozen=True)
class LimitHit:
    """One limit standing in the way on a date."""

    code: LimitCode
    message: str
    next_date: date | None  # the first day this limit no longer applies; None: no date known
    overridable: bool = True


# What holds a contact back, in a few words, when it is not a count limit.
_HELD_BY = {
    LimitCode.BLACKOUT: "In a blackout",
    LimitCode.OPEN_ESCALATION: "The account has an open escalation",
    LimitCode.AT_RISK: "The account is at risk",
    LimitCode.RENEWAL: "The account renews soon",
    LimitCode.REST: "Resting",
    LimitCode.RULE_REST: "Resting",
}


def cap_text(cap: Cap, window_days: int) -> str:
    """A count limit in a few words, e.g. "the account's cap of 6 in 90 days"."""
    what = f" {cap.label}" if cap.type_id is not None else ""
    window = f"in {window_days} days"
    return {
        LimitCode.CONTACT_WINDOW: f"the program's cap of {cap.cap} per contact {window}",
        LimitCode.CONTACT_RULE: f"a stricter cap of {cap.cap}{what} per contact {window}{cap.why}",
        LimitCode.OWN_CAP: f"their own cap of {cap.cap} a quarter",
        LimitCode.ACCOUNT_WINDOW: f"the account's cap of {cap.cap} {window}",
        LimitCode.ACCOUNT_RULE: f"the account's stricter cap of {cap.cap}{what} {window}{cap.why}",
    }[cap.code]


@dataclass(frozen=True)
class Availability:
    """Whether a contact can be used for an activity on a date and, if not, why and from when."""

    contact_id: int
    on_date: date
    hits: tuple[LimitHit, ...] = ()
    available_from: date | None = None  # `on_date` when ok; None when no date can be given
    slots_left: int | None = None  # free slots under the tightest count limit; None: no count limit
    used: int = 0  # the contact's own slots used in the program's window ending on `on_date`
    cap: int | None = None  # the program's limit per contact in that window; None: not counted
    window_days: int = 0
    # The count limit with the fewest free slots (the first in precedence among equals).
    tightest: Cap | None = None

    @property
    def ok(self) -> bool:
        return not self.hits

    @property
    def limit(self) -> str:
        """The code of the first limit in the way ("" when ok)."""
        return self.hits[0].code if self.hits else ""

    @property
    def reason(self) -> str:
        return self.hits[0].message if self.hits else ""

    @property
    def overridable(self) -> bool:
        return all(hit.overridable for hit in self.hits)

    @property
    def slots(self) -> int | None:
        """How many more activities can be approved on `on_date` before any limit refuses: 0 when
        one refuses already; None when no count limit applies (only a rest or a blackout could)."""
        if self.hits:
            return 0
        return self.slots_left

    @property
    def frees_on(self) -> date | None:
        """When no slot is left: the first day one is (None: not known, or a slot is free)."""
        return None if self.ok else self.available_from

    @property
    def slots_text(self) -> str:
        """The figure as people read it, naming what binds unless it is the program's cap per
        contact: "3 slots left", "1 slot left — the account's cap of 6 in 90 days",
        "Resting · free from 12 Jan 2027", "In a blackout · free from 3 Feb 2027"."""
        if self.hits:
            code = self.hits[0].code
            held = _HELD_BY.get(code)
            if held is None:
                held = (
                    f"No slot left — {cap_text(self.tightest, self.window_days)}"
                    if self.tightest
                    else "No slot left"
                )
            when = f"free from {day_text(self.available_from)}" if self.available_from else "no date known"
            return f"{held} · {when}"
        if self.slots is None:
            return "Available"
        text = f"{self.slots} slot{'' if self.slots == 1 else 's'} left"
        if self.tightest is not None and self.tightest.code != LimitCode.CONTACT_WINDOW:
            text += f" — {cap_text(self.tightest, self.window_days)}"
        return text

    @property
    def summary(self) -> str:
        """A short line for a warning, e.g. "Resting: 4 of 4 used in 90 days — available from
        12 Jan 2027" ("" when ok)."""
        if self.ok:
            return ""
        if self.limit == LimitCode.CONTACT_WINDOW and self.cap is not None:
            what = f"{self.used} of {self.cap} used in {self.window_days} days"
        else:
            what = self.reason.rstrip(".")
        when = f"available from {day_text(self.available_from)}" if self.available_from else "no date known"
        return f"Resting: {what} — {when}"

    @property
    def message(self) -> str:
        """The refusal as shown to people: the limit, and the date the contact becomes available."""
        if self.ok:
            return ""
        if self.available_from is None:
            return f"{self.reason} No date can be given when this ends."
        return f"{self.reason} Available from {day_text(self.available_from)}."

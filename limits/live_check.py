"""The live check of one contact's burnout limits: the facts loaded once (a few queries), then
every rule evaluated on a date, hopping from one blocking limit's end to the next to find the
first free day. `limits.services` answers (`limit_check`) and refuses (`limit_enforce`) with it.

The rules themselves — codes and their precedence, windows, caps, which uses count — are in
limits/rules.py, which the periodic job (limits.usage) reads too.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from limits.models import LimitPolicy, LimitRule
from limits.rules import PRECEDENCE, Cap, LimitCode, Rest, Windows, count_caps, occurrence, rest_periods
from references.models import (
    Account,
    ActivityType,
    BlackoutPeriod,
    Contact,
    ParticipationPreferences,
    ReferenceActivity,
)
from requests_app.models import ReferenceRequest
from requests_app.statuses import COMMITTED_STATUSES

_SEARCH_STEPS = 60  # more than enough hops from one blocking limit to the next


@dataclass(frozen=True)
class LimitHit:
    """One limit standing in the way on a date."""

    code: LimitCode
    message: str
    next_date: date | None  # the first day this limit no longer applies; None: no date known
    overridable: bool = True


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
    def summary(self) -> str:
        """A short line for a warning, e.g. "Resting: 4 of 4 used in 90 days — available from
        12 Jan 2027" ("" when ok)."""
        if self.ok:
            return ""
        if self.limit == LimitCode.CONTACT_WINDOW and self.cap is not None:
            what = f"{self.used} of {self.cap} used in {self.window_days} days"
        else:
            what = self.reason.rstrip(".")
        when = f"available from {_day(self.available_from)}" if self.available_from else "no date known"
        return f"Resting: {what} — {when}"

    @property
    def message(self) -> str:
        """The refusal as shown to people: the limit, and the date the contact becomes available."""
        if self.ok:
            return ""
        if self.available_from is None:
            return f"{self.reason} No date can be given when this ends."
        return f"{self.reason} Available from {_day(self.available_from)}."


# --- The facts about one contact, loaded once --------------------------------------------


@dataclass(frozen=True)
class _Use:
    contact_id: int
    activity_type_id: int
    on_date: date
    counts: bool  # the type uses a slot under the program's limits
    dated: bool  # a held activity (starts a rest period); approvals not yet held are not


@dataclass
class _Facts:
    contact: Contact
    account: Account
    activity_type: ActivityType
    policy: LimitPolicy
    blackouts: list[BlackoutPeriod]
    uses: list[_Use]  # every contact of the account
    caps: list[Cap]
    rests: list[Rest]
    own_cap: int | None
    longest_rest: int

    def windows(self, day: date) -> Windows:
        return Windows.on(day, self.policy, self.longest_rest)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _rules_for(contact: Contact, account: Account, activity_type: ActivityType) -> list[LimitRule]:
    return list(
        LimitRule.objects.filter(
            Q(contact_id=contact.pk)
            | Q(account_id=account.pk)
            | Q(contact__isnull=True, account__isnull=True)
        )
        .filter(Q(activity_type__isnull=True) | Q(activity_type_id=activity_type.pk))
        .select_related("activity_type")
    )


def _uses(account: Account, horizon: date, today: date, exclude_request_id: int | None) -> list[_Use]:
    """Held activities since `horizon` and approvals not yet held, for every contact of the account."""
    uses: dict[tuple, _Use] = {}
    rows = ReferenceActivity.objects.filter(account_id=account.pk, occurred_on__gte=horizon).values_list(
        "pk",
        "contact_id",
        "activity_type_id",
        "occurred_on",
        "activity_type__counts_toward_limits",
        "activity_type__is_one_to_many",
    )
    for pk, contact_id, type_id, occurred_on, counts, one_to_many in rows:
        key = occurrence(pk, contact_id, type_id, occurred_on, one_to_many)
        uses[key] = _Use(contact_id, type_id, occurred_on, counts, True)
    approved = (
        ReferenceRequest.objects.filter(chosen_contact__account_id=account.pk, status__in=COMMITTED_STATUSES)
        .exclude(pk=exclude_request_id)
        .values_list("pk", "chosen_contact_id", "activity_type_id", "activity_type__counts_toward_limits")
    )
    for pk, contact_id, type_id, counts in approved:
        uses[("request", pk)] = _Use(contact_id, type_id, today, counts, False)
    return list(uses.values())


def _own_cap(contact: Contact) -> int | None:
    return (
        ParticipationPreferences.objects.filter(contact_id=contact.pk)
        .values_list("own_cap_per_quarter", flat=True)
        .first()
    )


def _load(contact, account, activity_type, on_date, exclude_request_id) -> _Facts:
    policy = LimitPolicy.current()
    rules = _rules_for(contact, account, activity_type)
    rests = rest_periods(policy, rules, activity_type)
    longest_rest = max((rest.days for rest in rests), default=0)
    horizon = Windows.on(on_date, policy, longest_rest).horizon
    return _Facts(
        contact=contact,
        account=account,
        activity_type=activity_type,
        policy=policy,
        blackouts=list(BlackoutPeriod.objects.filter(contact_id=contact.pk, end__gte=on_date)),
        uses=_uses(account, horizon, timezone.localdate(), exclude_request_id),
        caps=count_caps(policy, rules, activity_type),
        rests=rests,
        own_cap=_own_cap(contact) if activity_type.counts_toward_limits else None,
        longest_rest=longest_rest,
    )


# --- The rules, evaluated on one date ------------------------------------------------------


def _relevant(facts: _Facts, type_id: int | None, per_account: bool) -> list[_Use]:
    return [
        use
        for use in facts.uses
        if (per_account or use.contact_id == facts.contact.pk)
        and (use.activity_type_id == type_id if type_id is not None else use.counts)
    ]


def _health_hits(facts: _Facts, day: date) -> list[LimitHit]:
    policy, account = facts.policy, facts.account
    hits = []
    if policy.exclude_open_escalations and account.open_escalations:
        hits.append(
            LimitHit(
                LimitCode.OPEN_ESCALATION,
                f"{account.name} has an open escalation; no asks until it is closed.",
                None,
            )
        )
    # Not the catalogue's "may be offered" (references.querysets.OFFERABLE), though both read
    # `at_risk`: the catalogue never offers an at-risk account, whatever the policy, and the
    # approval guard refuses one before limits are counted; this is the program policy's own
    # gate, which limit_check reports to the screens that show availability. With the policy's
    # `exclude_at_risk` off, limit_check finds nothing here but the account is still not offered.
    if policy.exclude_at_risk and account.at_risk:
        hits.append(LimitHit(LimitCode.AT_RISK, f"{account.name} is at risk; no asks while it is.", None))
    renewal, days = account.renewal_date, policy.renewal_exclusion_days
    if days and renewal and day <= renewal <= day + timedelta(days=days):
        hits.append(
            LimitHit(
                LimitCode.RENEWAL,
                f"{account.name} renews on {_day(renewal)}; no asks in the {days} days before a renewal.",
                renewal + timedelta(days=1),
            )
        )
    return hits


def _blackout_hits(facts: _Facts, day: date) -> list[LimitHit]:
    name = facts.contact.full_name
    return [
        LimitHit(
            LimitCode.BLACKOUT,
            f"{name} asked not to be approached from {_day(b.start)} to {_day(b.end)}"
            f"{f' ({b.reason})' if b.reason else ''}.",
            b.end + timedelta(days=1),
            overridable=False,
        )
        for b in facts.blackouts
        if b.start <= day <= b.end
    ]


def _rest_hits(facts: _Facts, day: date) -> list[LimitHit]:
    hits = []
    for rest in facts.rests:
        held = [u.on_date for u in _relevant(facts, rest.type_id, False) if u.dated and u.on_date <= day]
        last = max(held, default=None)
        if rest.days and last is not None and day < rest.until(last):
            what = "each activity" if rest.type_id is None else f"each {facts.activity_type.name.lower()}"
            hits.append(
                LimitHit(
                    rest.code,
                    f"{facts.contact.full_name} rests {rest.days} days after {what} (the last one was on "
                    f"{_day(last)}).",
                    rest.until(last),
                )
            )
    return hits


def _cap_message(facts: _Facts, cap: Cap, used: int) -> str:
    window = facts.policy.window_days
    if cap.per_account:
        who, unit = (
            f"{facts.account.name} has {used} {cap.label} in the last {window} days across its contacts",
            "per account",
        )
    else:
        who, unit = (
            f"{facts.contact.full_name} has {used} {cap.label} in the last {window} days",
            "per contact",
        )
    source = "the program allows" if cap.by_program else "a stricter limit allows"
    return f"{who}, held or approved; {source} {cap.cap} {unit}{cap.why}."


def _count_hits(facts: _Facts, day: date) -> tuple[list[LimitHit], int | None]:
    """Hits of the count limits on `day`, and the free slots under the tightest one."""
    windows = facts.windows(day)
    hits, slots = [], []
    for cap in facts.caps:
        dates = sorted(
            (
                u.on_date
                for u in _relevant(facts, cap.type_id, cap.per_account)
                if windows.in_window(u.on_date)
            ),
            reverse=True,
        )
        slots.append(cap.cap - len(dates))
        if len(dates) >= cap.cap:
            free = windows.free_after_count(dates[cap.cap - 1])
            hits.append(LimitHit(cap.code, _cap_message(facts, cap, len(dates)), free))
    if facts.own_cap is not None:
        used = sum(1 for u in _relevant(facts, None, False) if windows.in_quarter(u.on_date))
        slots.append(facts.own_cap - used)
        if used >= facts.own_cap:
            hits.append(
                LimitHit(
                    LimitCode.OWN_CAP,
                    f"{facts.contact.full_name} asked for at most {facts.own_cap} activities per quarter "
                    f"and has {used} this quarter.",
                    windows.quarter[1],
                )
            )
    return hits, min(slots, default=None)


def _hits_on(facts: _Facts, day: date) -> list[LimitHit]:
    """Every limit in the way on `day`, in the rules' order of precedence (limits.rules.LimitCode)."""
    counts, _slots = _count_hits(facts, day)
    hits = [*_blackout_hits(facts, day), *_health_hits(facts, day), *_rest_hits(facts, day), *counts]
    return sorted(hits, key=lambda hit: PRECEDENCE.index(hit.code))


def _first_free_day(facts: _Facts, day: date) -> date | None:
    """Hop from one blocking limit's end to the next until nothing blocks (None: no end known)."""
    for _step in range(_SEARCH_STEPS):
        hits = _hits_on(facts, day)
        if not hits:
            return day
        if any(hit.next_date is None for hit in hits):
            return None
        day = max(hit.next_date for hit in hits)
    return None


def evaluate(contact, account, activity_type, on_date, exclude_request_id) -> Availability:
    """The answer for `contact` (counted toward `account`) on `on_date`: every limit in the way,
    the first free day, the slots left. Reads only."""
    facts = _load(contact, account, activity_type, on_date, exclude_request_id)
    hits = _hits_on(facts, on_date)
    _counts, slots = _count_hits(facts, on_date)
    windows = facts.windows(on_date)
    counted = activity_type.counts_toward_limits
    return Availability(
        contact_id=contact.pk,
        on_date=on_date,
        hits=tuple(hits),
        available_from=on_date if not hits else _first_free_day(facts, on_date),
        slots_left=slots,
        used=sum(1 for u in _relevant(facts, None, False) if windows.in_window(u.on_date)),
        cap=facts.policy.contact_max if counted else None,
        window_days=facts.policy.window_days,
    )

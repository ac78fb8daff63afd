"""The live check of one contact's burnout limits: the facts loaded once (a few queries), then
every rule evaluated on a date, hopping from one blocking limit's end to the next to find the
first free day. `limits.services` answers (`limit_check`) and refuses (`limit_enforce`) with it
for one contact; `limits.selectors.availability_for` asks it about many at once (`evaluate_many`,
the same facts loaded for all of them in one go), for the figure the screens show.

The rules themselves — codes and their precedence, windows, caps, which uses count — are in
limits/rules.py, which the periodic job (limits.usage) reads too.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from core.dates import day_text
from limits.availability import Availability, LimitHit
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


# --- The facts about one contact, loaded once --------------------------------------------


@dataclass(frozen=True)
class _Use:
    account_id: int
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


def _rules_for(people: list[tuple[Contact, Account]], activity_type: ActivityType) -> list[LimitRule]:
    """The rules that may apply to any of `people` for an `activity_type` activity (an unsaved
    type stands for any activity that counts: only the rules without a type)."""
    of_type = Q(activity_type__isnull=True)
    if activity_type.pk is not None:
        of_type |= Q(activity_type_id=activity_type.pk)
    return list(
        LimitRule.objects.filter(
            Q(contact_id__in=[contact.pk for contact, _account in people])
            | Q(account_id__in={account.pk for _contact, account in people})
            | Q(contact__isnull=True, account__isnull=True)
        )
        .filter(of_type)
        .select_related("activity_type")
    )


def _applies(rule: LimitRule, contact: Contact, account: Account) -> bool:
    if rule.contact_id is not None:
        return rule.contact_id == contact.pk
    return rule.account_id is None or rule.account_id == account.pk


def _uses(
    account_ids: set[int], horizon: date, today: date, exclude_request_id: int | None
) -> dict[int, list[_Use]]:
    """Held activities since `horizon` and approvals not yet held, for every contact of the
    accounts, by account."""
    uses: dict[tuple, _Use] = {}
    rows = ReferenceActivity.objects.filter(account_id__in=account_ids, occurred_on__gte=horizon).values_list(
        "pk",
        "account_id",
        "contact_id",
        "activity_type_id",
        "occurred_on",
        "activity_type__counts_toward_limits",
        "activity_type__is_one_to_many",
    )
    for pk, account_id, contact_id, type_id, occurred_on, counts, one_to_many in rows:
        key = occurrence(pk, contact_id, type_id, occurred_on, one_to_many)
        uses[key] = _Use(account_id, contact_id, type_id, occurred_on, counts, True)
    approved = (
        ReferenceRequest.objects.filter(
            chosen_contact__account_id__in=account_ids, status__in=COMMITTED_STATUSES
        )
        .exclude(pk=exclude_request_id)
        .values_list(
            "pk",
            "chosen_contact__account_id",
            "chosen_contact_id",
            "activity_type_id",
            "activity_type__counts_toward_limits",
        )
    )
    for pk, account_id, contact_id, type_id, counts in approved:
        uses[("request", pk)] = _Use(account_id, contact_id, type_id, today, counts, False)
    by_account: dict[int, list[_Use]] = {pk: [] for pk in account_ids}
    for use in uses.values():
        by_account[use.account_id].append(use)
    return by_account


def _own_caps(contact_ids: list[int]) -> dict[int, int | None]:
    return dict(
        ParticipationPreferences.objects.filter(contact_id__in=contact_ids).values_list(
            "contact_id", "own_cap_per_quarter"
        )
    )


def _load_many(
    people: list[tuple[Contact, Account]],
    activity_type: ActivityType,
    on_date: date,
    exclude_request_id: int | None,
    own_caps: dict[int, int | None] | None = None,
) -> dict[int, _Facts]:
    """The facts about each (contact, the account they count toward), in six queries however
    many there are (five when the caller read the contacts' `own_caps`)."""
    policy = LimitPolicy.current()
    rules = _rules_for(people, activity_type)
    applying = {c.pk: [r for r in rules if _applies(r, c, a)] for c, a in people}
    rests = {pk: rest_periods(policy, each, activity_type) for pk, each in applying.items()}
    longest = {pk: max((rest.days for rest in each), default=0) for pk, each in rests.items()}
    horizon = min(Windows.on(on_date, policy, days).horizon for days in longest.values())
    ids = [contact.pk for contact, _account in people]
    blackouts: dict[int, list[BlackoutPeriod]] = {pk: [] for pk in ids}
    for blackout in BlackoutPeriod.objects.filter(contact_id__in=ids, end__gte=on_date):
        blackouts[blackout.contact_id].append(blackout)
    uses = _uses({a.pk for _c, a in people}, horizon, timezone.localdate(), exclude_request_id)
    if not activity_type.counts_toward_limits:
        own_caps = {}
    elif own_caps is None:
        own_caps = _own_caps(ids)
    return {
        contact.pk: _Facts(
            contact=contact,
            account=account,
            activity_type=activity_type,
            policy=policy,
            blackouts=blackouts[contact.pk],
            uses=uses[account.pk],
            caps=count_caps(policy, applying[contact.pk], activity_type),
            rests=rests[contact.pk],
            own_cap=own_caps.get(contact.pk),
            longest_rest=longest[contact.pk],
        )
        for contact, account in people
    }


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
                f"{account.name} renews on {day_text(renewal)}; no asks in the {days} days before a renewal.",
                renewal + timedelta(days=1),
            )
        )
    return hits


def _blackout_hits(facts: _Facts, day: date) -> list[LimitHit]:
    name = facts.contact.full_name
    return [
        LimitHit(
            LimitCode.BLACKOUT,
            f"{name} asked not to be approached from {day_text(b.start)} to {day_text(b.end)}"
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
                    f"{day_text(last)}).",
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


def _count_hits(facts: _Facts, day: date) -> tuple[list[LimitHit], Cap | None, int | None]:
    """Hits of the count limits on `day`, the tightest one (the first in precedence among those
    with the fewest free slots) and its free slots."""
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
        slots.append((cap.cap - len(dates), cap))
        if len(dates) >= cap.cap:
            free = windows.free_after_count(dates[cap.cap - 1])
            hits.append(LimitHit(cap.code, _cap_message(facts, cap, len(dates)), free))
    if facts.own_cap is not None:
        used = sum(1 for u in _relevant(facts, None, False) if windows.in_quarter(u.on_date))
        slots.append((facts.own_cap - used, Cap(LimitCode.OWN_CAP, facts.own_cap, False, None, "activities")))
        if used >= facts.own_cap:
            hits.append(
                LimitHit(
                    LimitCode.OWN_CAP,
                    f"{facts.contact.full_name} asked for at most {facts.own_cap} activities per quarter "
                    f"and has {used} this quarter.",
                    windows.quarter[1],
                )
            )
    if not slots:
        return hits, None, None
    # Past a cap counts as at it, so the tightest is the first in precedence of those reached.
    _left, tightest = min(slots, key=lambda pair: (max(pair[0], 0), PRECEDENCE.index(pair[1].code)))
    return hits, tightest, min(left for left, _cap in slots)


def _hits_on(facts: _Facts, day: date) -> list[LimitHit]:
    """Every limit in the way on `day`, in the rules' order of precedence (limits.rules.LimitCode)."""
    counts, _tightest, _slots = _count_hits(facts, day)
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


def _judge(facts: _Facts, on_date: date) -> Availability:
    hits = _hits_on(facts, on_date)
    _counts, tightest, slots = _count_hits(facts, on_date)
    windows = facts.windows(on_date)
    return Availability(
        contact_id=facts.contact.pk,
        on_date=on_date,
        hits=tuple(hits),
        available_from=on_date if not hits else _first_free_day(facts, on_date),
        slots_left=slots,
        used=sum(1 for u in _relevant(facts, None, False) if windows.in_window(u.on_date)),
        cap=facts.policy.contact_max if facts.activity_type.counts_toward_limits else None,
        window_days=facts.policy.window_days,
        tightest=tightest,
    )


def evaluate(contact, account, activity_type, on_date, exclude_request_id) -> Availability:
    """The answer for `contact` (counted toward `account`) on `on_date`: every limit in the way,
    the first free day, the slots left. Reads only."""
    facts = _load_many([(contact, account)], activity_type, on_date, exclude_request_id)
    return _judge(facts[contact.pk], on_date)


def evaluate_many(
    contacts: list[Contact], activity_type: ActivityType, on_date: date, exclude_request_id: int | None
) -> dict[int, Availability]:
    """The same answer for each of `contacts` (their `account` and `preferences` loaded), in five
    queries however many."""
    if not contacts:
        return {}
    own_caps = {c.pk: getattr(_preferences(c), "own_cap_per_quarter", None) for c in contacts}
    people = [(c, c.account) for c in contacts]
    facts = _load_many(people, activity_type, on_date, exclude_request_id, own_caps)
    return {pk: _judge(each, on_date) for pk, each in facts.items()}


def _preferences(contact: Contact) -> ParticipationPreferences | None:
    try:
        return contact.preferences
    except ParticipationPreferences.DoesNotExist:
        return None

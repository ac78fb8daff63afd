"""The live check of one contact's burnout limits: the facts read once (one statement,
limits/live_reads.py), then every rule evaluated on a date, hopping from one blocking limit's end
to the next to find the first free day. `limits.services` answers (`limit_check`) and refuses
(`limit_enforce`) with it for one contact; `limits.selectors.availability_for` asks it about many
at once (`evaluate_ids`, the same facts read for all of them in one go), for the figure the
screens show.

The rules themselves — codes and their precedence, windows, caps, which uses count — are in
limits/rules.py, which the periodic job (limits.usage) reads too.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language

from core import dates
from limits.availability import Availability, LimitHit
from limits.live_reads import AccountHealth, Blackout, Person, Reads, Use, activity_type_read, read
from limits.models import LimitPolicy, LimitRule
from limits.rules import PRECEDENCE, Cap, LimitCode, Rest, Windows, count_caps, rest_periods
from references.models import Account, ActivityType, Contact, ParticipationPreferences

_SEARCH_STEPS = 60  # more than enough hops from one blocking limit to the next


def _day_text(day: date) -> str:
    """`core.dates.day_text`, remembered per language: the messages of every hop to the first free
    day name dates, most of them the same."""
    return _day_text_in(day, get_language())


@lru_cache(maxsize=1024)
def _day_text_in(day: date, _language: str) -> str:
    return dates.day_text(day)


# --- The facts about one contact, loaded once --------------------------------------------


@dataclass
class _Facts:
    contact: Contact | Person
    account: Account | AccountHealth
    activity_type: ActivityType
    policy: LimitPolicy
    blackouts: list[Blackout]
    uses: list[Use]  # every contact of the account
    caps: list[Cap]
    rests: list[Rest]
    own_cap: int | None
    longest_rest: int
    relevant: dict[tuple, list[Use]] = field(default_factory=dict)  # `_relevant`'s, once each

    def windows(self, day: date) -> Windows:
        return Windows.on(day, self.policy, self.longest_rest)


def _applies(rule: LimitRule, contact_id: int, account_id: int) -> bool:
    if rule.contact_id is not None:
        return rule.contact_id == contact_id
    return rule.account_id is None or rule.account_id == account_id


def _facts(people: list[tuple], activity_type: ActivityType, reads: Reads) -> dict[int, _Facts]:
    """The facts about each (contact, the account they count toward), from what was read."""
    policy = reads.policy
    own_caps = reads.own_caps if activity_type.counts_toward_limits else {}
    facts = {}
    for contact, account in people:
        applying = [rule for rule in reads.rules if _applies(rule, contact.pk, account.pk)]
        rests = rest_periods(policy, applying, activity_type)
        facts[contact.pk] = _Facts(
            contact=contact,
            account=account,
            activity_type=activity_type,
            policy=policy,
            blackouts=reads.blackouts.get(contact.pk, []),
            uses=reads.uses[account.pk],
            caps=count_caps(policy, applying, activity_type),
            rests=rests,
            own_cap=own_caps.get(contact.pk),
            longest_rest=max((rest.days for rest in rests), default=0),
        )
    return facts


# --- The rules, evaluated on one date ------------------------------------------------------


def _relevant(facts: _Facts, type_id: int | None, per_account: bool) -> list[Use]:
    """The uses a limit counts: of the contact or their whole account, of one type or of any that counts."""
    key = (type_id, per_account)
    if key not in facts.relevant:
        facts.relevant[key] = [
            use
            for use in facts.uses
            if (per_account or use.contact_id == facts.contact.pk)
            and (use.activity_type_id == type_id if type_id is not None else use.counts)
        ]
    return facts.relevant[key]


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
                f"{account.name} renews on {_day_text(renewal)}; "
                f"no asks in the {days} days before a renewal.",
                renewal + timedelta(days=1),
            )
        )
    return hits


def _blackout_hits(facts: _Facts, day: date) -> list[LimitHit]:
    name = facts.contact.full_name
    return [
        LimitHit(
            LimitCode.BLACKOUT,
            f"{name} asked not to be approached from {_day_text(b.start)} to {_day_text(b.end)}"
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
                    f"{_day_text(last)}).",
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


def _limits_on(facts: _Facts, day: date) -> tuple[list[LimitHit], Cap | None, int | None]:
    """Every limit in the way on `day`, in the rules' order of precedence (limits.rules.LimitCode),
    with the tightest count limit and its free slots."""
    counts, tightest, slots = _count_hits(facts, day)
    hits = [*_blackout_hits(facts, day), *_health_hits(facts, day), *_rest_hits(facts, day), *counts]
    return sorted(hits, key=lambda hit: PRECEDENCE.index(hit.code)), tightest, slots


def _hits_on(facts: _Facts, day: date) -> list[LimitHit]:
    return _limits_on(facts, day)[0]


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
    hits, tightest, slots = _limits_on(facts, on_date)
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
    the first free day, the slots left. Reads only, one query."""
    reads = read(
        [contact.pk],
        account_ids=[account.pk],
        type_id=activity_type.pk,
        on_date=on_date,
        today=timezone.localdate(),
        exclude_request_id=exclude_request_id,
    )
    facts = _facts([(contact, account)], activity_type, reads)
    return _judge(facts[contact.pk], on_date)


def evaluate_many(
    contacts: list[Contact], activity_type: ActivityType, on_date: date, exclude_request_id: int | None
) -> dict[int, Availability]:
    """The same answer for each of `contacts` (their `account` and `preferences` loaded), in one
    query however many."""
    if not contacts:
        return {}
    reads = read(
        [c.pk for c in contacts],
        account_ids=[c.account_id for c in contacts],
        type_id=activity_type.pk,
        on_date=on_date,
        today=timezone.localdate(),
        exclude_request_id=exclude_request_id,
        own_caps=False,
    )
    reads.own_caps = {c.pk: getattr(_preferences(c), "own_cap_per_quarter", None) for c in contacts}
    facts = _facts([(c, c.account) for c in contacts], activity_type, reads)
    return {pk: _judge(each, on_date) for pk, each in facts.items()}


def evaluate_ids(
    contact_ids: list[int], activity_type: ActivityType | int, on_date: date, exclude_request_id: int | None
) -> dict[int, tuple[Person, Availability]]:
    """The same answer for each contact of `contact_ids` found, with the contact, for an
    `activity_type` activity (a type or its id): one query, the contacts and accounts read in it."""
    reads = read(
        contact_ids,
        account_ids=None,
        type_id=activity_type if isinstance(activity_type, int) else activity_type.pk,
        on_date=on_date,
        today=timezone.localdate(),
        exclude_request_id=exclude_request_id,
    )
    if isinstance(activity_type, int):
        if activity_type not in reads.types:
            raise ActivityType.DoesNotExist("ActivityType matching query does not exist.")
        activity_type = activity_type_read(reads.types, activity_type)
    facts = _facts(list(reads.people.values()), activity_type, reads)
    return {pk: (each.contact, _judge(each, on_date)) for pk, each in facts.items()}


def _preferences(contact: Contact) -> ParticipationPreferences | None:
    try:
        return contact.preferences
    except ParticipationPreferences.DoesNotExist:
        return None

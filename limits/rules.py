"""The burnout-limit rules, defined once for both ways of judging them.

`limits.services.limit_check` judges one contact live, in Python, when a request is approved;
the periodic job (`limits.usage`) judges every contact at once, in SQL. Both read from here:

- the limit codes (`LimitCode`) and the order in which they are named when several stand in the
  way (`PRECEDENCE`), with the reason each gives in the status history (`REASONS`);
- the windows: the rolling window ending on the day asked about, the calendar quarter (for the
  contact's own cap), the rest after each use, and the first day that can count (`Windows`);
- the caps: per contact and per account, the tightest of the program's and the stricter rules',
  named by the rule only when the rule is stricter (`count_caps`; in SQL `contact_cap_sql`,
  `account_cap_sql`, `REACHED_SQL`), and the rests (`rest_periods`, `rest_days_sql`);
- which uses count: held activities of the types that count (`counting_types`), a one-to-many
  occurrence once per contact, type and day (`occurrence`), and approved requests not yet held
  (`requests_app.statuses.COMMITTED_STATUSES`, `COMMITTED_SQL`), a use each from today.

The SQL takes codes, states and statuses as parameters (`sql_parameters`), never as literals.

Where a rule has a Python and an SQL spelling, both are here side by side, and
tests/limits/test_rules_agree.py checks on random programs that the two judge alike.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db import models

from core.dialect import Dialect
from limits.models import LimitPolicy, LimitRule, UsageState
from references.models import ActivityType
from references.statuses import ReferenceStatus
from requests_app.statuses import COMMITTED_STATUSES


class LimitCode(models.TextChoices):
    """What stands in the way of using a contact. Declared in order of precedence: when several
    do, the first named here is the one reported (the limit, its reason, the override's code)."""

    BLACKOUT = "blackout", "Blackout dates"
    OPEN_ESCALATION = "open_escalation", "Open escalation"
    AT_RISK = "at_risk", "Account at risk"
    RENEWAL = "renewal", "Renewal coming"
    REST = "rest", "Rest after an activity"
    RULE_REST = "rule_rest", "Longer rest (stricter limit)"
    # The count limits, the contact's own before their account's shared one; a stricter rule
    # before the program's limit it tightens (it is the one that frees last).
    CONTACT_RULE = "contact_rule", "Stricter limit per contact"
    CONTACT_WINDOW = "contact_window", "Program limit per contact"
    OWN_CAP = "own_cap", "Own cap per quarter"
    ACCOUNT_RULE = "account_rule", "Stricter limit per account"
    ACCOUNT_WINDOW = "account_window", "Program limit per account"


PRECEDENCE = tuple(LimitCode)
# The limits the job judges and stores, in order of precedence (rest it stores as a day;
# blackouts and account health are read live).
COUNT_LIMITS = PRECEDENCE[PRECEDENCE.index(LimitCode.CONTACT_RULE) :]

# Why the job moved a contact to resting (the StatusChange reason), and back.
REASONS = {
    LimitCode.CONTACT_WINDOW: "Burnout limit: reached the program's limit of activities per contact",
    LimitCode.CONTACT_RULE: "Burnout limit: reached a stricter limit of activities for this contact",
    LimitCode.OWN_CAP: "Burnout limit: reached their own cap of activities per quarter",
    LimitCode.ACCOUNT_WINDOW: "Burnout limit: the account reached the program's limit of activities",
    LimitCode.ACCOUNT_RULE: "Burnout limit: the account reached a stricter limit of activities",
}
FREED_REASON = "Burnout limit: a slot is free again"


class VerdictChange(models.TextChoices):
    """How a contact's stored verdict changed in a run of the job (what the summaries tell)."""

    REACHED = "reached", "Reached a limit"
    FREED = "freed", "Freed from a limit"
    NEAR = "near", "Near a limit"


# --- Windows ---------------------------------------------------------------------------------


def quarter_bounds(day: date) -> tuple[date, date]:
    """The first day of `day`'s calendar quarter and the first day of the next one."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, end


@dataclass(frozen=True)
class Windows:
    """The days that count on `day`: a use counts toward the window while it is after
    `window_start` (the window is the `window_days` days ending on `day`), toward the own cap
    while it is in `day`'s calendar quarter, and a held use rests the contact until `rest` days
    after it."""

    day: date
    window_days: int
    longest_rest: int

    @classmethod
    def on(cls, day: date, policy: LimitPolicy, longest_rest: int) -> "Windows":
        return cls(day=day, window_days=policy.window_days, longest_rest=longest_rest)

    @cached_property  # read for every use judged
    def window_start(self) -> date:
        return self.day - timedelta(days=self.window_days)

    @cached_property
    def quarter(self) -> tuple[date, date]:
        return quarter_bounds(self.day)

    @property
    def horizon(self) -> date:
        """The first day a use can count on `day`: the window's first day, the quarter's, or the
        first day whose use still rests the contact (a rest may be longer than the window)."""
        return min(
            self.window_start + timedelta(days=1),
            self.quarter[0],
            self.day - timedelta(days=self.longest_rest - 1),
        )

    @property
    def reach(self) -> int:
        """How many days a use from before the quarter counts: while in the window, or resting."""
        return max(self.window_days, self.longest_rest)

    def in_window(self, on: date) -> bool:
        return on > self.window_start

    def in_quarter(self, on: date) -> bool:
        start, end = self.quarter
        return start <= on < end

    def free_after_count(self, kth_latest: date) -> date:
        """A count limit frees when its cap-th most recent use leaves the window."""
        return kth_latest + timedelta(days=self.window_days)


# The same in the job's SQL, on its parameters (`sql_parameters`).
def in_window_sql(day: str) -> str:
    return f"{day} > %(window_start)s"


def in_quarter_sql(day: str) -> str:
    return f"{day} >= %(quarter_start)s AND {day} < %(quarter_end)s"


def longest_rest(policy: LimitPolicy) -> int:
    """The longest rest any contact may have (the program's, or a stricter rule's)."""
    rules = LimitRule.objects.filter(activity_type__isnull=True, rest_days__isnull=False)
    return max([policy.rest_days, *rules.values_list("rest_days", flat=True)])


# --- Which uses count ------------------------------------------------------------------------


def counting_types() -> list[tuple[int, bool]]:
    """The activity types that use a slot, as (id, is one-to-many), in id order."""
    counting = ActivityType.objects.filter(counts_toward_limits=True).order_by("pk")
    return list(counting.values_list("pk", "is_one_to_many"))


def occurrence(pk: int, contact_id: int, type_id: int, on: date, one_to_many: bool) -> tuple:
    """What one use is: an activity, or one occurrence of a one-to-many type (a webinar, a case
    study serving many deals) per contact, type and day. The job groups its uses the same way
    (limits.usage.uses `USES`)."""
    return ("event", contact_id, type_id, on) if one_to_many else ("activity", pk)


# --- Caps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cap:
    """A count limit: at most `cap` uses in the window, of the contact or of their account."""

    code: LimitCode
    cap: int
    per_account: bool
    type_id: int | None  # None: every use that counts toward limits
    label: str  # what is counted, for the message
    why: str = ""

    @property
    def by_program(self) -> bool:
        return self.code in (LimitCode.CONTACT_WINDOW, LimitCode.ACCOUNT_WINDOW)


@dataclass(frozen=True)
class Rest:
    """A rest after each held use (of one type, or of any that counts)."""

    code: LimitCode
    days: int
    type_id: int | None

    def until(self, last_held: date) -> date:
        """The first day after the rest that follows the last held use (the job: `last_used_on + rest`)."""
        return last_held + timedelta(days=self.days)


def _why(rule: LimitRule) -> str:
    return f" ({rule.reason})" if rule.reason else ""


def _tightest(program: int, rules: list[tuple[int, LimitRule]], *, per_account: bool) -> Cap:
    """The program's cap, or the lowest rule's when it is stricter."""
    window, rule_code = (
        (LimitCode.ACCOUNT_WINDOW, LimitCode.ACCOUNT_RULE)
        if per_account
        else (LimitCode.CONTACT_WINDOW, LimitCode.CONTACT_RULE)
    )
    lowest = min(rules, key=lambda pair: (pair[0], pair[1].pk), default=None)
    if lowest is not None and lowest[0] < program:
        return Cap(rule_code, lowest[0], per_account, None, "reference activities", _why(lowest[1]))
    return Cap(window, program, per_account, None, "reference activities")


def count_caps(policy: LimitPolicy, rules: list[LimitRule], activity_type: ActivityType) -> list[Cap]:
    """The count limits on using a contact for an `activity_type` activity, given the rules that
    apply to them. An activity that uses no slot is held back only by rules for its own type."""
    caps = []
    general = [rule for rule in rules if rule.activity_type_id is None]
    if activity_type.counts_toward_limits:
        caps += [
            _tightest(
                policy.contact_max, [(r.contact_max, r) for r in general if r.contact_max], per_account=False
            ),
            _tightest(
                policy.account_max, [(r.account_max, r) for r in general if r.account_max], per_account=True
            ),
        ]
    for rule in rules:
        if rule.activity_type_id is None:
            continue
        label = rule.activity_type.name.lower()
        if rule.contact_max:
            caps.append(
                Cap(LimitCode.CONTACT_RULE, rule.contact_max, False, rule.activity_type_id, label, _why(rule))
            )
        if rule.account_max:
            caps.append(
                Cap(LimitCode.ACCOUNT_RULE, rule.account_max, True, rule.activity_type_id, label, _why(rule))
            )
    return caps


def rest_periods(policy: LimitPolicy, rules: list[LimitRule], activity_type: ActivityType) -> list[Rest]:
    """The rests after each use that apply: the program's and each stricter rule's (the longest
    wins, as every one is checked)."""
    counts = activity_type.counts_toward_limits
    rests = [Rest(LimitCode.REST, policy.rest_days, None)] if counts else []
    return rests + [
        Rest(LimitCode.RULE_REST, rule.rest_days, rule.activity_type_id)
        for rule in rules
        if rule.rest_days and (counts or rule.activity_type_id is not None)
    ]


# The same in the job's SQL: per contact, `cr` and `ar` are the aggregated rules without an
# activity type of the contact and of their account (the job judges every use that counts, so
# rules for one type are for the live check alone; they are not part of its rules key either).
def contact_cap_sql(sql: Dialect) -> str:
    return sql.least(
        "%(contact_max)s", "COALESCE(cr.cap, %(contact_max)s)", "COALESCE(ar.cap, %(contact_max)s)"
    )


def account_cap_sql(sql: Dialect) -> str:
    return sql.least("%(account_max)s", "COALESCE(ar.account_cap, %(account_max)s)")


def rest_days_sql(sql: Dialect) -> str:
    return sql.greatest("%(rest_days)s", "COALESCE(cr.rest, 0)", "COALESCE(ar.rest, 0)")


# When each count limit stands in the way, on the job's columns: `cap` and `account_cap` the
# tightest caps above, `*_slots` what is left of them and of the own cap. As in `count_caps`, a
# rule is named only when it is stricter than the program.
REACHED_SQL = {
    LimitCode.CONTACT_RULE: "contact_slots <= 0 AND cap < %(contact_max)s",
    LimitCode.CONTACT_WINDOW: "contact_slots <= 0",
    LimitCode.OWN_CAP: "own_slots <= 0",
    LimitCode.ACCOUNT_RULE: "account_slots <= 0 AND account_cap < %(account_max)s",
    LimitCode.ACCOUNT_WINDOW: "account_slots <= 0",
}


def limit_code_sql() -> str:
    """The code of the first count limit in the way ("" for none), as an SQL expression."""
    cases = " ".join(f"WHEN {REACHED_SQL[code]} THEN %(code_{code})s" for code in COUNT_LIMITS)
    return f"CASE {cases} ELSE %(no_limit)s END"


def reason_sql(code: str) -> str:
    """The status history's reason for the limit whose code is the expression `code`."""
    cases = " ".join(f"WHEN %(code_{code_})s THEN %(reason_{code_})s" for code_ in REASONS)
    return f"CASE {code} {cases} ELSE %(reason_freed)s END"


def sql_parameters() -> dict:
    """The names the rules' SQL takes as parameters: codes, reasons, states, statuses."""
    return {
        **{f"code_{code}": code.value for code in LimitCode},
        "no_limit": "",
        **{f"reason_{code}": text for code, text in REASONS.items()},
        "reason_freed": FREED_REASON,
        **{f"state_{state}": state.value for state in UsageState},
        **{f"change_{change}": change.value for change in VerdictChange},
        **{f"status_{status}": status.value for status in ReferenceStatus},
        **{f"committed_{i}": status.value for i, status in enumerate(COMMITTED_STATUSES)},
    }


# Approved requests not yet held, in SQL: `IN (COMMITTED_SQL)` on `sql_parameters`.
COMMITTED_SQL = ", ".join(f"%(committed_{i})s" for i in range(len(COMMITTED_STATUSES)))

"""The periodic job: every contact's usage at once, set-based, and who moves in or out of resting.

One transaction, the same few statements whatever the number of contacts (no loop per contact):

1. `limits_changed` (a temporary table): who may have changed. The hourly and daily runs take
   the contacts database triggers noted since the last run (limits.UsageChange: an activity
   recorded, moved, retyped or deleted, an own cap set, a request approved, cancelled or
   declined — whatever wrote it, limits/change_triggers.py) and, from the stored usage
   (limits.ContactUsage) alone, the contacts whose "available from" day has come or whose
   earliest use leaves the window (or stops counting) today; they read only those contacts'
   uses, by index, for the account each counts toward now. No run reads every activity for
   this, except the weekly one that verifies (`verify`): one aggregate over every held activity
   from the first day that counts (of the window, the quarter or the longest rest), grouped by
   contact — a checksum of their uses' days and types — read from the covering index in contact
   order and merged, as it streams by, with the stored usage and the own caps. It finds the same
   contacts, and also a change written while the triggers were off (a restore with triggers
   disabled); it adds the noted contacts too, for an edit a checksum cannot tell (sums that
   cancel out). Both add every contact with an approved request not yet held (a few dozen: a
   request is a use from today);
2. `limits_scope`: them and every stored contact of their accounts (an account's limit is shared);
3. `limits_uses`: those contacts' uses per day and type (read by index), and `limits_diff`: per
   contact the tightest count limit and the day a slot frees (program limits, stricter rules,
   the contact's own cap per quarter, the account's limit), compared with the stored usage:
   only what differs is kept;
4. `limits_changes` and `limits_moves`, from the differences: who reached a limit, was freed
   from one or came near one; active contacts reaching a limit move to resting, and contacts this
   job rested move back to active when freed — through references.services.contact_moves_apply,
   the one place statuses change: their rows locked in id order, a StatusChange written for each
   (two statements);
5. the narrow usage table takes the differences: one UPDATE ... FROM, one INSERT, one DELETE
   (after a change of the rules, when every row differs, the table is written afresh in contact
   order instead);
6. one summary notification per manager and per account owner concerned.

The hourly run usually judges the few contacts recorded or edited in the hour, and their accounts;
the first run of a day judges the few thousand contacts whose uses left the window or whose rest
ended, and their accounts. Every stored row carries a fingerprint of the activity types, policy,
rules and quarter it was judged by: when they change, when nothing is stored yet, or when the
scope is a large share of the program, step 3 judges every contact instead (`full`). What a run
stores is what judging everyone would store (tested).

Running it twice in a row changes nothing the second time: every write comes from a difference.
Two runs at once take turns on a transaction-level advisory lock (PostgreSQL), and the second
then finds nothing to do. The stored usage holds count limits and rest only; blackout dates and
account health are read live (limits.selectors, limits.services). A contact whose own cap is 0
and who has used nothing is not stored (limit_check still refuses them).
"""

import hashlib
from dataclasses import asdict, dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from core.dialect import Dialect
from limits.models import ContactUsage, LimitPolicy, LimitRule, LimitRun
from limits.notices import limit_changes_notify
from limits.rules import (
    COMMITTED_SQL,
    VerdictChange,
    Windows,
    account_cap_sql,
    contact_cap_sql,
    counting_types,
    in_quarter_sql,
    in_window_sql,
    limit_code_sql,
    longest_rest,
    quarter_bounds,
    reason_sql,
    rest_days_sql,
    sql_parameters,
)
from references.services import contact_moves_apply
from references.statuses import ReferenceStatus

JOB_LOCK = 7_243_110_001  # pg_advisory_xact_lock key of this job
WORK_MEM = "64MB"
# Part of every stored row's fingerprint: a new way of computing checksums, or of finding who
# changed, judges everyone once.
CHECKSUM_VERSION = 7
FINGERPRINT_DAYS = 20_000
STREAMING_PLAN = ("enable_hashagg", "enable_sort", "enable_hashjoin", "enable_nestloop")
# Above this many contacts to judge again, ranking everyone in one pass beats reading by index.
SCOPE_LIMIT = 25_000


@dataclass
class UsageResult:
    rows_written: int = 0
    reached: int = 0
    freed: int = 0
    near: int = 0
    rested: int = 0
    reactivated: int = 0
    run_id: int | None = None
    notified: int = 0
    full: bool = False  # every contact judged again, not only those whose inputs changed
    judged: int | None = None  # how many contacts were judged again, when not full

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.rows_written or self.reached or self.freed or self.near or self.rested or self.reactivated
        )


def use_fingerprint(sql: Dialect, day: str, activity_type: str) -> str:
    """A number per held use whose sum over a contact's uses tells one set of uses from another:
    d·(d + type), d its day number, so a use moved to another day, or two uses swapping their
    types (the type decides what a one-to-many occurrence counts), changes the sum. d is taken
    modulo 20,000 days (55 years): the products stay within 4-byte integers even for a date
    mistyped centuries ahead."""
    number = f"({sql.day_number(day)} %% {FINGERPRINT_DAYS})"  # %% as the statements take parameters
    return f"({number} * ({number} + {activity_type}))"


# What uses a slot, since the window (or the quarter) began: held activities of the types that
# count — a one-to-many occurrence (a webinar serving several deals) once per contact, type and
# day — and approved requests not yet held, a use each from today (`dated` 0: not a day the
# contact spoke). Of every contact, or of the contacts in `limits_scope` (read by the covering
# index of a contact's activities).
HELD = """
SELECT a.contact_id, a.account_id, a.activity_type_id, a.occurred_on AS on_date, 1 AS dated
FROM references_referenceactivity a
WHERE a.occurred_on >= %(horizon)s AND a.activity_type_id IN ({counting}) {in_scope}
"""

REQUESTED = """
SELECT r.chosen_contact_id AS contact_id, c.account_id, r.activity_type_id, %(today)s AS on_date, 0 AS dated
FROM requests_app_referencerequest r
JOIN references_contact c ON c.id = r.chosen_contact_id
WHERE r.status IN ({committed}) AND r.activity_type_id IN ({counting}) {in_scope}
"""

IN_SCOPE = "AND {column} IN (SELECT contact_id FROM {table})"

# What the job counts: the uses of each contact, day and type, as they stream from the index of
# activities (contact, day, type) without sorting or hashing — a one-to-many occurrence one use,
# other activities one each — with the fingerprint of the held activities behind them
# (`use_fingerprint`); and the approved requests, as uses today (`dated` 0).
USES = """
SELECT contact_id, MIN(account_id) AS account_id, on_date, 1 AS dated,
    CASE WHEN activity_type_id IN ({one_to_many}) THEN 1 ELSE CAST(COUNT(*) AS INTEGER) END AS uses,
    SUM({row_fingerprint}) AS fingerprint
FROM ({held}) held
GROUP BY contact_id, on_date, activity_type_id
UNION ALL
SELECT contact_id, MIN(account_id), on_date, 0, CAST(COUNT(*) AS INTEGER), COUNT(*) * {today_fingerprint}
FROM ({requested}) requested
GROUP BY contact_id, on_date
"""

# Per contact, the inputs of a verdict: uses in the window and in the quarter, the last day the
# contact spoke, and the checksum that tells a changed set of uses. A contact's account is the
# (least) account of their uses, everywhere, so that a contact and their account's other contacts
# are judged together.
PER_CONTACT = """
SELECT contact_id, MIN(account_id) AS account_id,
    COALESCE(SUM(uses) FILTER (WHERE {in_window}), 0) AS used,
    COALESCE(SUM(uses) FILTER (WHERE {in_quarter}), 0) AS quarter_used,
    MAX(on_date) FILTER (WHERE dated = 1) AS last_used_on,
    MIN(on_date) FILTER (WHERE dated = 1 AND {in_window}) AS first_in_window,
    MIN(on_date) FILTER (WHERE dated = 1 AND on_date < %(quarter_start)s) AS first_before_quarter,
    COALESCE(SUM(fingerprint), 0) AS uses_checksum
FROM {uses} uses
GROUP BY contact_id
"""

# What step 1 compares with the stored usage, per contact: their account and the checksum of
# their held activities, row by row (no grouping per day and type: that is only needed for the
# counts, which follow from the rows) — one pass grouped by contact, close to the bare aggregate.
HELD_CHECKSUMS = """
SELECT contact_id, MIN(account_id) AS account_id, COALESCE(SUM({row_fingerprint}), 0) AS uses_checksum
FROM {held} held
GROUP BY contact_id
"""

# Step 1 — the aggregate, every contact's checksum in one pass, compared with the stored
# usage: the contacts whose held uses (their days and types, from the first day that counts),
# own cap or account differ from what their stored verdict was computed from, whose stored
# "available from" day has come, or whose earliest use leaves the window today (a new quarter,
# which moves the day a contact at their own cap is free, judges everyone: the quarter is part
# of `rules_key`). All three are read in contact order and merged as they stream by. A contact
# with an approved request not yet held (a few dozen at a time) is always judged again, with the
# account they are stored under: their request is counted in their stored usage, not in the held
# checksums here.
CHANGED = """
{create}
SELECT COALESCE(h.contact_id, u.contact_id) AS contact_id,
    h.account_id AS counted_in, u.account_id AS stored_in
FROM ({held_checksums}) h
LEFT JOIN references_participationpreferences pp
    ON pp.contact_id = h.contact_id AND pp.own_cap_per_quarter IS NOT NULL
FULL OUTER JOIN limits_contactusage u ON u.contact_id = h.contact_id
WHERE h.contact_id IS NULL OR u.contact_id IS NULL
    OR h.account_id <> u.account_id
    OR h.uses_checksum <> u.uses_checksum
    OR pp.own_cap_per_quarter IS DISTINCT FROM u.own_cap
    OR u.available_from <= %(today)s
    OR u.window_moves_on <= %(today)s
"""

# The contacts whose uses, own cap or approved requests changed since the last run, as the
# database triggers noted them (limits.UsageChange, limits/change_triggers.py), taken off the
# table in the statement that reads them: a change committed after it stays for the next run.
TAKE_NOTED = """
CREATE TEMP TABLE limits_noted ON COMMIT DROP AS
WITH taken AS (DELETE FROM limits_usagechange RETURNING contact_id)
SELECT DISTINCT contact_id FROM taken
"""

# The stored contacts due to be judged again today, added to those noted: their "available
# from" day has come, or their earliest use leaves the window (or stops counting) today.
DUE = """
INSERT INTO limits_noted (contact_id)
SELECT u.contact_id FROM limits_contactusage u
WHERE (u.available_from <= %(today)s OR u.window_moves_on <= %(today)s)
    AND u.contact_id NOT IN (SELECT contact_id FROM limits_noted)
"""

# Step 1 as the hourly and daily runs take it, without reading every activity: the contacts
# noted and due, with the account their uses count toward now (read by index: it moves when the
# use spoken for the lowest account leaves the window) and the one they are stored under. The
# same contacts the checksums find (tested).
NOTED = """
SELECT n.contact_id, h.account_id AS counted_in, u.account_id AS stored_in
FROM limits_noted n
LEFT JOIN (
    SELECT contact_id, MIN(account_id) AS account_id FROM ({held}) held GROUP BY contact_id
) h ON h.contact_id = n.contact_id
LEFT JOIN limits_contactusage u ON u.contact_id = n.contact_id
WHERE h.contact_id IS NOT NULL OR u.contact_id IS NOT NULL  -- no uses then or now: nothing to judge
"""

CHANGED_BY_REQUESTS = """
INSERT INTO limits_changed (contact_id, counted_in, stored_in)
SELECT requested.contact_id, requested.account_id, s.account_id
FROM ({requested}) requested
LEFT JOIN limits_contactusage s ON s.contact_id = requested.contact_id
"""

# Step 2 — who is judged again: the changed contacts and every stored contact of their
# accounts (an account's limit is shared; the old account too, if a contact's uses moved).
SCOPE = """
{create}
SELECT contact_id FROM limits_changed
UNION
SELECT u.contact_id
FROM (
    SELECT counted_in AS account_id FROM limits_changed WHERE counted_in IS NOT NULL
    UNION
    SELECT stored_in FROM limits_changed WHERE stored_in IS NOT NULL
) accounts
JOIN limits_contactusage u ON u.account_id = accounts.account_id
"""

# Step 3 — per contact judged: slots used, the tightest count limit and the day a slot frees,
# compared with the stored usage; only what differs is kept.
DIFF = """
{create}
WITH per_contact AS ({per_contact}),
contact_rules AS (
    SELECT contact_id, MIN(contact_max) AS cap, MAX(rest_days) AS rest
    FROM limits_limitrule WHERE contact_id IS NOT NULL AND activity_type_id IS NULL
    GROUP BY contact_id
),
account_rules AS (
    SELECT account_id, MIN(contact_max) AS cap, MIN(account_max) AS account_cap, MAX(rest_days) AS rest
    FROM limits_limitrule WHERE account_id IS NOT NULL AND activity_type_id IS NULL
    GROUP BY account_id
),
per_account AS (
    SELECT p.account_id, CAST(SUM(p.used) AS INTEGER) AS used, {account_cap} AS cap
    FROM per_contact p LEFT JOIN account_rules ar ON ar.account_id = p.account_id
    GROUP BY p.account_id, ar.account_cap
),
caps AS (
    SELECT p.*, {contact_cap} AS cap, {rest_days} AS rest_days, pp.own_cap_per_quarter AS own_cap,
        pa.cap AS account_cap, pa.used AS account_used
    FROM per_contact p
    JOIN per_account pa ON pa.account_id = p.account_id
    LEFT JOIN contact_rules cr ON cr.contact_id = p.contact_id
    LEFT JOIN account_rules ar ON ar.account_id = p.account_id
    LEFT JOIN references_participationpreferences pp
        ON pp.contact_id = p.contact_id AND pp.own_cap_per_quarter IS NOT NULL
),
-- A count limit frees when its cap-th most recent use leaves the window: the day on which the
-- uses counted back from the latest reach the cap. Only for the contacts and the accounts at
-- their cap, a minority of the uses.
contact_kth AS (
    SELECT contact_id, MAX(on_date) AS on_date FROM (
        SELECT u.contact_id, u.on_date, c.cap,
            SUM(u.uses) OVER (PARTITION BY u.contact_id ORDER BY u.on_date DESC ROWS UNBOUNDED PRECEDING)
                AS counted
        FROM limits_uses u JOIN caps c ON c.contact_id = u.contact_id
        WHERE c.used >= c.cap
    ) ranked WHERE counted >= cap
    GROUP BY contact_id
),
account_kth AS (
    SELECT account_id, MAX(on_date) AS on_date FROM (
        SELECT p.account_id, u.on_date, pa.cap,
            SUM(u.uses) OVER (PARTITION BY p.account_id ORDER BY u.on_date DESC ROWS UNBOUNDED PRECEDING)
                AS counted
        FROM limits_uses u
        JOIN per_contact p ON p.contact_id = u.contact_id
        JOIN per_account pa ON pa.account_id = p.account_id
        WHERE pa.used >= pa.cap
    ) ranked WHERE counted >= cap
    GROUP BY account_id
),
slots AS (
    SELECT c.contact_id, c.account_id, c.used, c.quarter_used, c.uses_checksum, c.own_cap,
        c.last_used_on, c.cap, c.account_cap, c.rest_days, {window_moves_on} AS window_moves_on,
        c.cap - c.used AS contact_slots,
        c.own_cap - c.quarter_used AS own_slots,
        c.account_cap - c.account_used AS account_slots,
        kc.on_date AS contact_kth,
        ka.on_date AS account_kth
    FROM caps c
    LEFT JOIN contact_kth kc ON kc.contact_id = c.contact_id
    LEFT JOIN account_kth ka ON ka.account_id = c.account_id
),
verdict AS (
    SELECT contact_id, account_id, used, quarter_used, uses_checksum, own_cap, last_used_on, window_moves_on,
        {slots_left} AS slots_left,
        {limit_code} AS limit_code,
        {free_from} AS free_from
    FROM slots
),
fresh AS (
    SELECT contact_id, account_id, used, quarter_used, uses_checksum, own_cap, slots_left, last_used_on,
        window_moves_on,
        -- A contact whose own cap is 0 is never free until they change it: no day to give.
        CASE WHEN own_cap = 0 THEN NULL WHEN free_from > %(today)s THEN free_from END AS available_from,
        CASE WHEN limit_code <> %(no_limit)s THEN %(state_limited)s
             WHEN slots_left <= %(near_slots)s THEN %(state_near)s
             ELSE %(state_available)s END AS state,
        limit_code
    FROM verdict
)
SELECT COALESCE(f.contact_id, u.contact_id) AS contact_id,
    u.contact_id IS NOT NULL AS stored,
    f.contact_id IS NOT NULL AS computed,
    COALESCE(u.state, %(state_available)s) AS old_state,
    COALESCE(f.state, %(state_available)s) AS new_state,
    COALESCE(u.rested_by_job, FALSE) AS rested_by_job,
    f.account_id, f.used, f.quarter_used, f.uses_checksum, f.own_cap, f.slots_left, f.last_used_on,
    f.window_moves_on,
    f.available_from, f.limit_code
FROM fresh f
FULL OUTER JOIN {stored} u ON u.contact_id = f.contact_id
WHERE u.contact_id IS NULL OR f.contact_id IS NULL
    OR u.account_id IS DISTINCT FROM f.account_id
    OR u.used IS DISTINCT FROM f.used
    OR u.quarter_used IS DISTINCT FROM f.quarter_used
    OR u.uses_checksum IS DISTINCT FROM f.uses_checksum
    OR u.own_cap IS DISTINCT FROM f.own_cap
    OR u.rules_key IS DISTINCT FROM %(rules_key)s
    OR u.slots_left IS DISTINCT FROM f.slots_left
    OR u.last_used_on IS DISTINCT FROM f.last_used_on
    OR u.window_moves_on IS DISTINCT FROM f.window_moves_on
    OR u.available_from IS DISTINCT FROM f.available_from
    OR u.state IS DISTINCT FROM f.state
    OR u.limit_code IS DISTINCT FROM f.limit_code
"""

CHANGES = """
{create}
SELECT contact_id,
    CASE WHEN new_state = %(state_limited)s THEN %(change_reached)s
         WHEN old_state = %(state_limited)s THEN %(change_freed)s
         ELSE %(change_near)s END AS change
FROM limits_diff
WHERE (new_state = %(state_limited)s) <> (old_state = %(state_limited)s)
    OR (new_state = %(state_near)s AND old_state = %(state_available)s)
"""

# Contacts move when they reach or are freed from a limit: active ones to resting, and back the
# ones this job rested (references.services.contact_moves_apply moves them, in id order, with a
# StatusChange each). A manager's own status change is left alone until the next such moment.
MOVES = """
{create}
SELECT d.contact_id, %(status_active)s AS from_status, %(status_resting)s AS to_status, d.limit_code
FROM limits_diff d JOIN references_contact c ON c.id = d.contact_id
WHERE d.new_state = %(state_limited)s AND d.old_state <> %(state_limited)s AND c.status = %(status_active)s
UNION ALL
SELECT d.contact_id, %(status_resting)s, %(status_active)s, %(no_limit)s
FROM limits_diff d JOIN references_contact c ON c.id = d.contact_id
WHERE d.old_state = %(state_limited)s AND d.new_state <> %(state_limited)s AND d.rested_by_job
    AND c.status = %(status_resting)s
"""

UPDATE_USAGE = """
UPDATE limits_contactusage SET
    account_id = d.account_id, used = d.used, quarter_used = d.quarter_used, slots_left = d.slots_left,
    last_used_on = d.last_used_on, available_from = d.available_from, state = d.new_state,
    limit_code = d.limit_code, uses_checksum = d.uses_checksum, own_cap = d.own_cap,
    window_moves_on = d.window_moves_on, rules_key = %(rules_key)s,
    rested_by_job = CASE WHEN m.to_status = %(status_resting)s THEN TRUE
                         WHEN d.new_state <> %(state_limited)s THEN FALSE
                         ELSE limits_contactusage.rested_by_job END
FROM limits_diff d LEFT JOIN limits_moves m ON m.contact_id = d.contact_id
WHERE d.contact_id = limits_contactusage.contact_id AND d.stored AND d.computed
"""

INSERT_USAGE = """
INSERT INTO limits_contactusage
    (contact_id, account_id, used, quarter_used, slots_left, last_used_on, available_from, state,
     limit_code, rested_by_job, uses_checksum, own_cap, window_moves_on, rules_key)
SELECT d.contact_id, d.account_id, d.used, d.quarter_used, d.slots_left, d.last_used_on, d.available_from,
    d.new_state, d.limit_code, CASE WHEN m.to_status = %(status_resting)s THEN TRUE ELSE FALSE END,
    d.uses_checksum, d.own_cap, d.window_moves_on, %(rules_key)s
FROM limits_diff d LEFT JOIN limits_moves m ON m.contact_id = d.contact_id
WHERE NOT d.stored
ORDER BY d.contact_id  -- the table in contact order, as step 1 reads it (updates stay on their page)
"""

# After the activity types, the policy, a rule or the quarter changed, every stored row is written
# again: the table is written afresh, in contact order (as step 1 reads it), rather than updated
# row by row, which would scatter the rows over the table for the rest of the quarter.
REWRITE_USAGE = """
INSERT INTO limits_contactusage
    (contact_id, account_id, used, quarter_used, slots_left, last_used_on, available_from, state,
     limit_code, rested_by_job, uses_checksum, own_cap, window_moves_on, rules_key)
SELECT d.contact_id, d.account_id, d.used, d.quarter_used, d.slots_left, d.last_used_on, d.available_from,
    d.new_state, d.limit_code,
    CASE WHEN m.to_status = %(status_resting)s THEN TRUE WHEN d.new_state <> %(state_limited)s THEN FALSE
         ELSE d.rested_by_job END,
    d.uses_checksum, d.own_cap, d.window_moves_on, %(rules_key)s
FROM limits_diff d LEFT JOIN limits_moves m ON m.contact_id = d.contact_id
WHERE d.computed
ORDER BY d.contact_id
"""

DELETE_USAGE = """
DELETE FROM limits_contactusage
WHERE contact_id IN (SELECT contact_id FROM limits_diff WHERE NOT computed)
"""

TEMP_TABLES = (
    "limits_noted",
    "limits_changed",
    "limits_scope",
    "limits_uses",
    "limits_diff",
    "limits_changes",
    "limits_moves",
)


def rules_key(policy: LimitPolicy, today: date) -> int:
    """A fingerprint of everything a stored verdict depends on besides the counts: which activity
    types use a slot, the program policy, the limit rules of accounts and contacts, and the quarter
    (own caps run to its end). When it changes, every contact is judged again."""
    rules = LimitRule.objects.filter(activity_type__isnull=True).order_by("pk")
    text = repr(
        (
            CHECKSUM_VERSION,
            quarter_bounds(today),
            counting_types(),
            policy.contact_max,
            policy.account_max,
            policy.window_days,
            policy.rest_days,
            policy.near_limit_slots,
            list(rules.values_list("account_id", "contact_id", "contact_max", "account_max", "rest_days")),
        )
    )
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def _parameters(sql: Dialect, policy: LimitPolicy, today: date) -> dict:
    """The statements' parameters: the rules' days, caps, codes and statuses (limits.rules)."""
    windows = Windows.on(today, policy, longest_rest(policy))
    quarter_start, quarter_end = windows.quarter
    return {
        **sql_parameters(),
        "today": sql.day(today),
        "window_start": sql.day(windows.window_start),
        "window_days": policy.window_days,
        "horizon": sql.day(windows.horizon),  # the first day that counts
        "quarter_start": sql.day(quarter_start),
        "quarter_end": sql.day(quarter_end),
        "contact_max": policy.contact_max,
        "account_max": policy.account_max,
        "rest_days": policy.rest_days,
        "near_slots": policy.near_limit_slots,
        "reach": windows.reach,
        "rules_key": rules_key(policy, today),
    }


@dataclass(frozen=True)
class _Types:
    """The activity types that use a slot, and which of them are one-to-many: a handful of ids,
    written into the statements so the activities are read without a join, in index order."""

    counting: str
    one_to_many: str

    @classmethod
    def current(cls) -> "_Types":
        types = counting_types()
        return cls(
            counting=", ".join(str(pk) for pk, _ in types) or "-1",
            one_to_many=", ".join(str(pk) for pk, one_to_many in types if one_to_many) or "-1",
        )


def _held_sql(types: _Types, *, scoped: bool = False, of: str = "limits_scope") -> str:
    """Held activities that use a slot (a SELECT), of every contact or of those in `of`."""
    in_scope = IN_SCOPE.format(column="a.contact_id", table=of) if scoped else ""
    return HELD.format(counting=types.counting, in_scope=in_scope)


def _requested_sql(types: _Types, *, scoped: bool = False) -> str:
    """Approved requests not yet held (a SELECT), of every contact or of those in `limits_scope`."""
    return REQUESTED.format(
        committed=COMMITTED_SQL,
        counting=types.counting,
        in_scope=IN_SCOPE.format(column="r.chosen_contact_id", table="limits_scope") if scoped else "",
    )


def _uses_sql(sql: Dialect, types: _Types, *, scoped: bool = False) -> str:
    """Each contact's uses per day and type (a SELECT), of every contact or of those in `limits_scope`."""
    return USES.format(
        held=_held_sql(types, scoped=scoped),
        requested=_requested_sql(types, scoped=scoped),
        one_to_many=types.one_to_many,
        row_fingerprint=use_fingerprint(sql, "on_date", "activity_type_id"),
        today_fingerprint=use_fingerprint(sql, "%(today)s", "0"),
    )


def _per_contact_sql(uses: str) -> str:
    return PER_CONTACT.format(
        uses=uses, in_window=in_window_sql("on_date"), in_quarter=in_quarter_sql("on_date")
    )


def checksums_sql(sql: Dialect, types: _Types) -> str:
    """Every contact's account and checksum (a SELECT): the aggregate step 1 is built on."""
    return HELD_CHECKSUMS.format(
        held=f"({_held_sql(types)})", row_fingerprint=use_fingerprint(sql, "on_date", "activity_type_id")
    )


def _changed_sql(sql: Dialect, types: _Types) -> str:
    return CHANGED.format(create=sql.temp("limits_changed"), held_checksums=checksums_sql(sql, types))


def _diff_sql(sql: Dialect, *, scoped: bool) -> str:
    window = "%(window_days)s"
    slots = ["contact_slots", "COALESCE(own_slots, contact_slots)", "account_slots"]
    stored = "limits_contactusage"
    if scoped:
        in_scope = IN_SCOPE.format(column="u.contact_id", table="limits_scope")
        stored = f"(SELECT * FROM limits_contactusage u WHERE TRUE {in_scope})"
    return DIFF.format(
        create=sql.temp("limits_diff"),
        per_contact=_per_contact_sql("limits_uses"),
        stored=stored,
        # Judged again when the earliest use in the window leaves it, or when a use from before
        # the quarter stops counting (a rest longer than the window keeps it counted for longer).
        window_moves_on=sql.earliest_day(
            sql.plus_days("c.first_in_window", window), sql.plus_days("c.first_before_quarter", "%(reach)s")
        ),
        contact_cap=contact_cap_sql(sql),
        account_cap=account_cap_sql(sql),
        rest_days=rest_days_sql(sql),
        slots_left=sql.least(*slots),
        limit_code=limit_code_sql(),
        free_from=sql.latest_day(
            f"CASE WHEN contact_slots <= 0 THEN {sql.plus_days('contact_kth', window)} END",
            "CASE WHEN own_slots <= 0 THEN %(quarter_end)s END",
            f"CASE WHEN account_slots <= 0 THEN {sql.plus_days('account_kth', window)} END",
            f"CASE WHEN last_used_on IS NOT NULL THEN {sql.plus_days('last_used_on', 'rest_days')} END",
        ),
    )


def _apply(cursor, params: dict, result: UsageResult, *, rewrite: bool) -> None:
    # The status moves go through the one place that changes statuses, with their history.
    moved = contact_moves_apply(
        moves="limits_moves", reason_sql=reason_sql("m.limit_code"), params=params, at=params["now"]
    )
    result.rested = moved.get(ReferenceStatus.RESTING, 0)
    result.reactivated = moved.get(ReferenceStatus.ACTIVE, 0)
    cursor.execute(DELETE_USAGE)
    result.rows_written += cursor.rowcount
    if rewrite:  # every row differs (its rules key does): all of them are in limits_diff
        cursor.execute("DELETE FROM limits_contactusage")
        statements = (REWRITE_USAGE,)
    else:
        statements = (UPDATE_USAGE, INSERT_USAGE)
    for statement in statements:
        cursor.execute(statement, params)
        result.rows_written += cursor.rowcount


def _count_changes(cursor, result: UsageResult) -> None:
    cursor.execute("SELECT change, COUNT(*) FROM limits_changes GROUP BY change")
    changes = dict(cursor.fetchall())
    result.reached, result.freed, result.near = (
        changes.get(change, 0) for change in (VerdictChange.REACHED, VerdictChange.FREED, VerdictChange.NEAR)
    )


def _take_noted(cursor, sql: Dialect) -> None:
    """Take the contacts the triggers noted into `limits_noted` (every run takes them: a run that
    judges everyone has judged them too)."""
    if sql.is_postgres:
        cursor.execute(TAKE_NOTED)
        return
    # SQLite has no data-modifying WITH: the rows go through Python (a development database).
    cursor.execute("CREATE TEMP TABLE limits_noted (contact_id bigint)")
    cursor.execute("DELETE FROM limits_usagechange RETURNING contact_id")
    noted = {row[0] for row in cursor.fetchall()}
    cursor.executemany("INSERT INTO limits_noted (contact_id) VALUES (%s)", [(pk,) for pk in noted])


def _changed_by_checksums(cursor, sql: Dialect, types: _Types, params: dict) -> None:
    if sql.is_postgres:
        # Read the activities in index order, group them as they stream by and merge them with
        # the stored usage and the own caps, all in contact order: the planner's estimates for
        # the nested groupings would have it hash or sort 200,000 rows instead.
        for plan in STREAMING_PLAN:
            cursor.execute(f"SET LOCAL {plan} = off")
    cursor.execute(_changed_sql(sql, types), params)
    if sql.is_postgres:
        for plan in STREAMING_PLAN:
            cursor.execute(f"SET LOCAL {plan} = on")


def _scope(cursor, sql: Dialect, types: _Types, params: dict, *, verify: bool) -> int | None:
    """Find those to judge again (steps 1 and 2): from the changes the triggers noted, or, to
    `verify`, from every contact's checksum.

    Returns how many are in `limits_scope`, or None when judging everyone is cheaper.
    """
    noted = NOTED.format(held=_held_sql(types, scoped=True, of="limits_noted"))
    if not verify:  # the checksums find those due by themselves
        cursor.execute(DUE, params)
    if sql.is_postgres:
        cursor.execute("ANALYZE limits_noted")  # their uses are read by index
    if verify:
        _changed_by_checksums(cursor, sql, types, params)
        # And what the triggers noted: an edit the checksums cannot tell (types that trade places).
        cursor.execute(f"INSERT INTO limits_changed (contact_id, counted_in, stored_in) {noted}", params)
    else:
        cursor.execute(f"{sql.temp('limits_changed')} {noted}", params)
    cursor.execute(CHANGED_BY_REQUESTS.format(requested=_requested_sql(types)), params)
    if sql.is_postgres:
        cursor.execute("ANALYZE limits_changed")  # a few thousand rows: the next joins read by index
    cursor.execute(SCOPE.format(create=sql.temp("limits_scope")))
    cursor.execute("SELECT COUNT(*) FROM limits_scope")
    in_scope = cursor.fetchone()[0]
    return in_scope if in_scope <= SCOPE_LIMIT else None


def _judge(cursor, sql: Dialect, types: _Types, params: dict, *, scoped: bool) -> None:
    """The uses of the contacts judged, and their verdicts compared with the stored ones (step 3)."""
    if sql.is_postgres and scoped:
        cursor.execute("ANALYZE limits_scope")
    cursor.execute(f"{sql.temp('limits_uses')} {_uses_sql(sql, types, scoped=scoped)}", params)
    if sql.is_postgres and not scoped:
        # A temporary table has no statistics, and the aggregates in between defeat estimates:
        # measure the one, and keep the large joins of the other hash joins.
        cursor.execute("ANALYZE limits_uses")
        cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute(_diff_sql(sql, scoped=scoped), params)
    if sql.is_postgres:
        cursor.execute("SET LOCAL enable_nestloop = on")


def usage_recompute(*, today: date | None = None, full: bool = False, verify: bool = False) -> UsageResult:
    """Recompute every contact's usage; move contacts in and out of resting; tell people.

    Returns what changed. `full` judges every contact again, as a run does by itself when the
    policy or a rule changed. `verify` finds whom to judge again by every contact's checksum
    rather than by the changes the triggers noted: it catches a change written while the
    triggers were off (a restore with triggers disabled, a TRUNCATE). See the module docstring
    for the statements and why running it twice (in a row or at once) changes nothing the second
    time.
    """
    today = today or timezone.localdate()
    policy = LimitPolicy.current()
    sql = Dialect.current()
    params = {**_parameters(sql, policy, today), "now": timezone.now()}
    result = UsageResult()
    with transaction.atomic(), connection.cursor() as cursor:
        if sql.is_postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JOB_LOCK])
        for name in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if sql.is_postgres:
            # Sorts and hashes over a few hundred thousand rows stay in memory, and no statement
            # waits for a JIT compilation longer than it runs (this transaction only).
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")
        # Every run leaves all stored rows with the key it judged by: one row tells whether the
        # policy or a rule changed since.
        stored_key = ContactUsage.objects.order_by("pk").values_list("rules_key", flat=True).first()
        rewrite = stored_key != params["rules_key"]
        full = full or rewrite
        types = _Types.current()
        _take_noted(cursor, sql)
        in_scope = None if full else _scope(cursor, sql, types, params, verify=verify)
        result.full = in_scope is None
        if in_scope != 0:
            _judge(cursor, sql, types, params, scoped=not result.full)
            cursor.execute(CHANGES.format(create=sql.temp("limits_changes")), params)
            cursor.execute(MOVES.format(create=sql.temp("limits_moves")), params)
            _count_changes(cursor, result)
            _apply(cursor, params, result, rewrite=rewrite)
        result.judged = in_scope
        if result.reached or result.freed or result.near or result.rested or result.reactivated:
            run = LimitRun.objects.create(
                reached=result.reached,
                freed=result.freed,
                near=result.near,
                rested=result.rested,
                reactivated=result.reactivated,
            )
            result.run_id = run.pk
            result.notified = limit_changes_notify(cursor=cursor, run=run)
        for name in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return result

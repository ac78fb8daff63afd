"""The periodic job: every contact's usage at once, set-based, and who moves in or out of resting.

One transaction, the same few statements whatever the number of contacts (no loop per contact):

1. `limits_uses` (a temporary table): every use of a slot since the window (or the quarter)
   began — held activities, a one-to-many occurrence once per contact, type and day, approved
   requests not yet held — counted as limits.services counts them for one contact;
2. `limits_diff`: per contact the slots used, the tightest count limit and the day a slot frees
   (program limits, stricter rules, the contact's own cap per quarter, the account's limit),
   compared with the stored usage (limits.ContactUsage): only what differs is kept;
3. `limits_changes` and `limits_moves`, from the differences: who reached a limit, was freed
   from one or came near one; active contacts reaching a limit move to resting, and contacts this
   job rested move back to active when freed — their rows locked in id order, a StatusChange
   written for each (two statements);
4. the narrow usage table takes the differences: one UPDATE ... FROM, one INSERT, one DELETE;
5. one summary notification per manager and per account owner concerned.

Running it twice in a row changes nothing the second time: every write comes from a difference.
Two runs at once take turns on a transaction-level advisory lock (PostgreSQL), and the second
then finds nothing to do. The stored usage holds count limits and rest only; blackout dates and
account health are read live (limits.selectors, limits.services). A contact whose own cap is 0
and who has used nothing is not stored (limit_check still refuses them).
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from limits.models import LimitPolicy, LimitRun
from limits.notices import limit_changes_notify
from limits.services import COMMITTED_STATUSES, quarter_bounds

JOB_LOCK = 7_243_110_001  # pg_advisory_xact_lock key of this job
WORK_MEM = "64MB"
REASONS = {
    "contact_window": "Burnout limit: reached the program's limit of activities per contact",
    "contact_rule": "Burnout limit: reached a stricter limit of activities for this contact",
    "own_cap": "Burnout limit: reached their own cap of activities per quarter",
    "account_window": "Burnout limit: the account reached the program's limit of activities",
    "account_rule": "Burnout limit: the account reached a stricter limit of activities",
    "": "Burnout limit: a slot is free again",
}


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

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.rows_written or self.reached or self.freed or self.near or self.rested or self.reactivated
        )


@dataclass
class _Sql:
    """The few spots where PostgreSQL and SQLite spell things differently."""

    postgres: bool
    params: dict = field(default_factory=dict)

    def temp(self, name: str) -> str:
        return (
            f"CREATE TEMP TABLE {name} ON COMMIT DROP AS" if self.postgres else f"CREATE TEMP TABLE {name} AS"
        )

    def plus_days(self, day: str, days: str) -> str:
        if self.postgres:
            return f"({day} + {days})"
        return f"date({day}, '+' || ({days}) || ' days')"

    def least(self, *values: str) -> str:
        return f"{'LEAST' if self.postgres else 'MIN'}({', '.join(values)})"

    def greatest(self, *values: str) -> str:
        return f"{'GREATEST' if self.postgres else 'MAX'}({', '.join(values)})"

    def latest_day(self, *days: str) -> str:
        """The latest of nullable dates, NULL when all are (GREATEST ignores NULLs; SQLite's MAX does not)."""
        if self.postgres:
            return f"GREATEST({', '.join(days)})"
        return f"NULLIF(MAX({', '.join(f'COALESCE({d}, {chr(39) * 2})' for d in days)}), '')"

    def day(self, value: date):
        return value if self.postgres else value.isoformat()


# Statement 1 — every use of a slot since the window (or the quarter) began, into a temporary
# table: one (parallel) pass over the activities.
USES = """
{create}
-- held activities that use a slot...
SELECT a.contact_id, a.account_id, a.occurred_on AS on_date, 1 AS dated
FROM references_referenceactivity a
JOIN references_activitytype t ON t.id = a.activity_type_id
WHERE a.occurred_on >= %(horizon)s AND t.counts_toward_limits AND NOT t.is_one_to_many
UNION ALL
-- ...a one-to-many occurrence (a webinar serving several deals) once per contact, type and day...
SELECT a.contact_id, a.account_id, a.occurred_on, 1
FROM references_referenceactivity a
JOIN references_activitytype t ON t.id = a.activity_type_id
WHERE a.occurred_on >= %(horizon)s AND t.counts_toward_limits AND t.is_one_to_many
GROUP BY a.contact_id, a.account_id, a.activity_type_id, a.occurred_on
UNION ALL
-- ...and approved requests not yet held: a slot each, from today
SELECT r.chosen_contact_id, c.account_id, %(today)s, 0
FROM requests_app_referencerequest r
JOIN references_contact c ON c.id = r.chosen_contact_id
JOIN references_activitytype t ON t.id = r.activity_type_id
WHERE r.status IN ({committed}) AND t.counts_toward_limits
"""

# Statement 2 — per contact: slots used, the tightest count limit and the day a slot frees,
# compared with the stored usage; only what differs is kept (usually a small share of the rows).
DIFF = """
{create}
WITH per_contact AS (
    SELECT contact_id, MIN(account_id) AS account_id,
        COUNT(*) FILTER (WHERE on_date > %(window_start)s) AS used,
        COUNT(*) FILTER (WHERE on_date >= %(quarter_start)s AND on_date < %(quarter_end)s) AS quarter_used,
        MAX(on_date) FILTER (WHERE dated = 1) AS last_used_on
    FROM limits_uses
    GROUP BY contact_id
),
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
    SELECT p.account_id, SUM(p.used) AS used, {account_cap} AS cap
    FROM per_contact p LEFT JOIN account_rules ar ON ar.account_id = p.account_id
    GROUP BY p.account_id, ar.account_cap
),
caps AS (
    SELECT p.*, {contact_cap} AS cap, {rest} AS rest, pp.own_cap_per_quarter AS own_cap,
        pa.cap AS account_cap, pa.used AS account_used
    FROM per_contact p
    JOIN per_account pa ON pa.account_id = p.account_id
    LEFT JOIN contact_rules cr ON cr.contact_id = p.contact_id
    LEFT JOIN account_rules ar ON ar.account_id = p.account_id
    LEFT JOIN references_participationpreferences pp
        ON pp.contact_id = p.contact_id AND pp.own_cap_per_quarter IS NOT NULL
),
-- A count limit frees when its cap-th most recent use leaves the window: ranked only for the
-- contacts and the accounts at their cap, a minority of the uses.
contact_kth AS (
    SELECT contact_id, on_date FROM (
        SELECT u.contact_id, u.on_date, c.cap,
            ROW_NUMBER() OVER (PARTITION BY u.contact_id ORDER BY u.on_date DESC) AS position
        FROM limits_uses u JOIN caps c ON c.contact_id = u.contact_id
        WHERE c.used >= c.cap
    ) ranked WHERE position = cap
),
account_kth AS (
    SELECT account_id, on_date FROM (
        SELECT u.account_id, u.on_date, pa.cap,
            ROW_NUMBER() OVER (PARTITION BY u.account_id ORDER BY u.on_date DESC) AS position
        FROM limits_uses u JOIN per_account pa ON pa.account_id = u.account_id
        WHERE pa.used >= pa.cap
    ) ranked WHERE position = cap
),
slots AS (
    SELECT c.contact_id, c.used, c.last_used_on, c.cap, c.account_cap, c.rest,
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
    SELECT contact_id, used, last_used_on,
        {slots_left} AS slots_left,
        CASE
            WHEN contact_slots <= 0 THEN CASE WHEN cap < %(contact_max)s THEN 'contact_rule'
                                             ELSE 'contact_window' END
            WHEN own_slots <= 0 THEN 'own_cap'
            WHEN account_slots <= 0 THEN CASE WHEN account_cap < %(account_max)s THEN 'account_rule'
                                             ELSE 'account_window' END
            ELSE ''
        END AS limit_code,
        {free_from} AS free_from
    FROM slots
),
fresh AS (
    SELECT contact_id, used, slots_left, last_used_on,
        CASE WHEN free_from > %(today)s THEN free_from END AS available_from,
        CASE WHEN limit_code <> '' THEN 'limited'
             WHEN slots_left <= %(near)s THEN 'near'
             ELSE 'available' END AS state,
        limit_code
    FROM verdict
)
SELECT COALESCE(f.contact_id, u.contact_id) AS contact_id,
    u.contact_id IS NOT NULL AS stored,
    f.contact_id IS NOT NULL AS computed,
    COALESCE(u.state, 'available') AS old_state,
    COALESCE(f.state, 'available') AS new_state,
    COALESCE(u.rested_by_job, FALSE) AS rested_by_job,
    f.used, f.slots_left, f.last_used_on, f.available_from, f.limit_code
FROM fresh f
FULL OUTER JOIN limits_contactusage u ON u.contact_id = f.contact_id
WHERE u.contact_id IS NULL OR f.contact_id IS NULL
    OR u.used IS DISTINCT FROM f.used
    OR u.slots_left IS DISTINCT FROM f.slots_left
    OR u.last_used_on IS DISTINCT FROM f.last_used_on
    OR u.available_from IS DISTINCT FROM f.available_from
    OR u.state IS DISTINCT FROM f.state
    OR u.limit_code IS DISTINCT FROM f.limit_code
"""

CHANGES = """
{create}
SELECT contact_id,
    CASE WHEN new_state = 'limited' THEN 'reached' WHEN old_state = 'limited' THEN 'freed' ELSE 'near' END
        AS change
FROM limits_diff
WHERE (new_state = 'limited') <> (old_state = 'limited') OR (new_state = 'near' AND old_state = 'available')
"""

# Contacts move when they reach or are freed from a limit: active ones to resting, and back the
# ones this job rested. A manager's own status change is left alone until the next such moment.
MOVES = """
{create}
SELECT d.contact_id, 'active' AS from_status, 'resting' AS to_status, d.limit_code
FROM limits_diff d JOIN references_contact c ON c.id = d.contact_id
WHERE d.new_state = 'limited' AND d.old_state <> 'limited' AND c.status = 'active'
UNION ALL
SELECT d.contact_id, 'resting', 'active', ''
FROM limits_diff d JOIN references_contact c ON c.id = d.contact_id
WHERE d.old_state = 'limited' AND d.new_state <> 'limited' AND d.rested_by_job AND c.status = 'resting'
"""

# Lock the contacts about to move in id order (as every multi-row status change does), so the
# job and a bulk status change never deadlock; the history and the update then agree.
LOCK_MOVES = """
WITH locked AS (
    SELECT c.id FROM references_contact c JOIN limits_moves m ON m.contact_id = c.id
    ORDER BY c.id FOR UPDATE OF c
)
SELECT COUNT(*) FROM locked
"""

COUNT_MOVES = """
SELECT m.to_status, COUNT(*) FROM limits_moves m
JOIN references_contact c ON c.id = m.contact_id AND c.status = m.from_status
GROUP BY m.to_status
"""

HISTORY = """
INSERT INTO references_statuschange
    (contact_id, account_id, from_status, to_status, reason, changed_by_id, changed_at)
SELECT m.contact_id, NULL, m.from_status, m.to_status, {reason}, NULL, %(now)s
FROM limits_moves m JOIN references_contact c ON c.id = m.contact_id AND c.status = m.from_status
"""

APPLY_MOVES = """
UPDATE references_contact SET status = m.to_status, updated_at = %(now)s
FROM limits_moves m
WHERE m.contact_id = references_contact.id AND references_contact.status = m.from_status
"""

UPDATE_USAGE = """
UPDATE limits_contactusage SET
    used = d.used, slots_left = d.slots_left, last_used_on = d.last_used_on,
    available_from = d.available_from, state = d.new_state, limit_code = d.limit_code,
    rested_by_job = CASE WHEN m.to_status = 'resting' THEN TRUE
                         WHEN d.new_state <> 'limited' THEN FALSE
                         ELSE limits_contactusage.rested_by_job END
FROM limits_diff d LEFT JOIN limits_moves m ON m.contact_id = d.contact_id
WHERE d.contact_id = limits_contactusage.contact_id AND d.stored AND d.computed
"""

INSERT_USAGE = """
INSERT INTO limits_contactusage
    (contact_id, used, slots_left, last_used_on, available_from, state, limit_code, rested_by_job)
SELECT d.contact_id, d.used, d.slots_left, d.last_used_on, d.available_from, d.new_state, d.limit_code,
    CASE WHEN m.to_status = 'resting' THEN TRUE ELSE FALSE END
FROM limits_diff d LEFT JOIN limits_moves m ON m.contact_id = d.contact_id
WHERE NOT d.stored
"""

DELETE_USAGE = """
DELETE FROM limits_contactusage
WHERE contact_id IN (SELECT contact_id FROM limits_diff WHERE NOT computed)
"""

TEMP_TABLES = ("limits_uses", "limits_diff", "limits_changes", "limits_moves")


def _parameters(sql: _Sql, policy: LimitPolicy, today: date) -> dict:
    window_start = today - timedelta(days=policy.window_days)
    quarter_start, quarter_end = quarter_bounds(today)
    return {
        "today": sql.day(today),
        "window_start": sql.day(window_start),
        "horizon": sql.day(min(window_start, quarter_start)),
        "quarter_start": sql.day(quarter_start),
        "quarter_end": sql.day(quarter_end),
        "contact_max": policy.contact_max,
        "account_max": policy.account_max,
        "near": policy.near_limit_slots,
    }


def _uses_sql(sql: _Sql) -> str:
    committed = ", ".join(f"'{status}'" for status in COMMITTED_STATUSES)
    return USES.format(create=sql.temp("limits_uses"), committed=committed)


def _diff_sql(sql: _Sql, policy: LimitPolicy) -> str:
    window = str(policy.window_days)
    slots = ["contact_slots", "COALESCE(own_slots, contact_slots)", "account_slots"]
    return DIFF.format(
        create=sql.temp("limits_diff"),
        contact_cap=sql.least(
            "%(contact_max)s", "COALESCE(cr.cap, %(contact_max)s)", "COALESCE(ar.cap, %(contact_max)s)"
        ),
        account_cap=sql.least("%(account_max)s", "COALESCE(ar.account_cap, %(account_max)s)"),
        rest=sql.greatest(str(policy.rest_days), "COALESCE(cr.rest, 0)", "COALESCE(ar.rest, 0)"),
        slots_left=sql.least(*slots),
        free_from=sql.latest_day(
            f"CASE WHEN contact_slots <= 0 THEN {sql.plus_days('contact_kth', window)} END",
            "CASE WHEN own_slots <= 0 THEN %(quarter_end)s END",
            f"CASE WHEN account_slots <= 0 THEN {sql.plus_days('account_kth', window)} END",
            f"CASE WHEN last_used_on IS NOT NULL THEN {sql.plus_days('last_used_on', 'rest')} END",
        ),
    )


def _reason_sql() -> str:
    quoted = {code: text.replace("'", "''") for code, text in REASONS.items()}
    cases = " ".join(f"WHEN '{code}' THEN '{text}'" for code, text in quoted.items())
    return f"CASE m.limit_code {cases} END"


def _apply(cursor, sql: _Sql, params: dict, result: UsageResult) -> None:
    if sql.postgres:
        cursor.execute(LOCK_MOVES)
    cursor.execute(COUNT_MOVES)
    moved = dict(cursor.fetchall())
    result.rested, result.reactivated = moved.get("resting", 0), moved.get("active", 0)
    if moved:
        cursor.execute(HISTORY.format(reason=_reason_sql()), params)
        cursor.execute(APPLY_MOVES, params)
    for statement in (UPDATE_USAGE, INSERT_USAGE, DELETE_USAGE):
        cursor.execute(statement)
        result.rows_written += cursor.rowcount


def _count_changes(cursor, result: UsageResult) -> None:
    cursor.execute("SELECT change, COUNT(*) FROM limits_changes GROUP BY change")
    changes = dict(cursor.fetchall())
    result.reached, result.freed, result.near = (
        changes.get(name, 0) for name in ("reached", "freed", "near")
    )


def usage_recompute(*, today: date | None = None) -> UsageResult:
    """Recompute every contact's usage; move contacts in and out of resting; tell people.

    Returns what changed. See the module docstring for the statements and why running it twice
    (in a row or at once) changes nothing the second time.
    """
    today = today or timezone.localdate()
    policy = LimitPolicy.current()
    sql = _Sql(postgres=connection.vendor == "postgresql")
    params = {**_parameters(sql, policy, today), "now": timezone.now()}
    result = UsageResult()
    with transaction.atomic(), connection.cursor() as cursor:
        if sql.postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JOB_LOCK])
        for name in TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if sql.postgres:
            # Sorts and hashes over a few hundred thousand rows stay in memory (this transaction only).
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(_uses_sql(sql), params)
        if sql.postgres:
            # A temporary table has no statistics, and the aggregates in between defeat estimates:
            # measure the one, and keep the large joins of the other hash joins.
            cursor.execute("ANALYZE limits_uses")
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(_diff_sql(sql, policy), params)
        if sql.postgres:
            cursor.execute("SET LOCAL enable_nestloop = on")
        cursor.execute(CHANGES.format(create=sql.temp("limits_changes")))
        cursor.execute(MOVES.format(create=sql.temp("limits_moves")))
        _count_changes(cursor, result)
        _apply(cursor, sql, params, result)
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

"""The periodic job: every contact's usage at once, set-based, and who moves in or out of resting.

One transaction, a handful of statements whatever the number of contacts (no loop per contact):

1. `limits_fresh` (a temporary table): per contact with a use since the window began, the slots
   used, the tightest count limit and the day a slot frees — one aggregate over the activities
   and approved requests, like limits.services counts them for one contact;
2. `limits_changes`: who reached a limit, was freed from one, or came near one, compared with
   the stored usage (limits.ContactUsage);
3. `limits_moves`: active contacts at a limit move to resting and contacts this job rested and
   now freed move back to active — contact rows locked in id order, a StatusChange row written
   for each, all with two statements;
4. the narrow usage table is brought up to date by one upsert that only touches rows whose values
   changed, and one delete;
5. one summary notification per manager and per account owner concerned.

Running it twice in a row changes nothing the second time: every write is conditional on a
difference. Two runs at once take turns on a transaction-level advisory lock (PostgreSQL), and
the second then finds nothing to do. The narrow table holds count limits and rest only; blackout
dates and account health are read live (limits.selectors, limits.services).
"""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from limits.models import LimitPolicy, LimitRun
from limits.notices import limit_changes_notify
from limits.services import COMMITTED_STATUSES, quarter_bounds

JOB_LOCK = 7_243_110_001  # pg_advisory_xact_lock key of this job
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


FRESH = """
{create}
WITH uses AS (
    -- held activities that use a slot; a one-to-many occurrence once per contact and day
    SELECT a.contact_id, a.account_id, a.occurred_on AS on_date, 1 AS dated
    FROM references_referenceactivity a
    JOIN references_activitytype t ON t.id = a.activity_type_id
    WHERE a.occurred_on >= %(horizon)s AND t.counts_toward_limits AND NOT t.is_one_to_many
    UNION ALL
    SELECT a.contact_id, a.account_id, a.occurred_on, 1
    FROM references_referenceactivity a
    JOIN references_activitytype t ON t.id = a.activity_type_id
    WHERE a.occurred_on >= %(horizon)s AND t.counts_toward_limits AND t.is_one_to_many
    GROUP BY a.contact_id, a.account_id, a.activity_type_id, a.occurred_on
    UNION ALL
    -- approved requests not yet held: a slot each, from today
    SELECT r.chosen_contact_id, c.account_id, %(today)s, 0
    FROM requests_app_referencerequest r
    JOIN references_contact c ON c.id = r.chosen_contact_id
    JOIN references_activitytype t ON t.id = r.activity_type_id
    WHERE r.status IN ({committed}) AND t.counts_toward_limits
),
ranked AS (
    SELECT contact_id, account_id, on_date,
        ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY on_date DESC) AS contact_rank,
        ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY on_date DESC) AS account_rank
    FROM uses
),
per_contact AS (
    SELECT contact_id, MIN(account_id) AS account_id,
        COUNT(*) FILTER (WHERE on_date > %(window_start)s) AS used,
        COUNT(*) FILTER (WHERE on_date >= %(quarter_start)s AND on_date < %(quarter_end)s) AS quarter_used,
        MAX(on_date) FILTER (WHERE dated = 1) AS last_used_on
    FROM uses
    GROUP BY contact_id
),
people AS (
    SELECT contact_id, account_id, used, quarter_used, last_used_on FROM per_contact
    UNION ALL
    -- a contact whose own cap is zero is at it without using anything
    SELECT p.contact_id, c.account_id, 0, 0, NULL
    FROM references_participationpreferences p
    JOIN references_contact c ON c.id = p.contact_id
    WHERE p.own_cap_per_quarter = 0 AND p.contact_id NOT IN (SELECT contact_id FROM per_contact)
),
per_account AS (
    SELECT account_id, COUNT(*) FILTER (WHERE on_date > %(window_start)s) AS used
    FROM uses
    GROUP BY account_id
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
caps AS (
    SELECT p.contact_id, p.account_id, p.used, p.quarter_used, p.last_used_on,
        {contact_cap} AS cap,
        pp.own_cap_per_quarter AS own_cap,
        {account_cap} AS account_cap,
        COALESCE(pa.used, 0) AS account_used,
        {rest} AS rest
    FROM people p
    LEFT JOIN contact_rules cr ON cr.contact_id = p.contact_id
    LEFT JOIN account_rules ar ON ar.account_id = p.account_id
    LEFT JOIN references_participationpreferences pp ON pp.contact_id = p.contact_id
    LEFT JOIN per_account pa ON pa.account_id = p.account_id
),
slots AS (
    SELECT c.*,
        c.cap - c.used AS contact_slots,
        c.own_cap - c.quarter_used AS own_slots,
        c.account_cap - c.account_used AS account_slots,
        kc.on_date AS contact_kth,
        ka.on_date AS account_kth
    FROM caps c
    LEFT JOIN ranked kc ON kc.contact_id = c.contact_id AND kc.contact_rank = c.cap
    LEFT JOIN ranked ka ON ka.account_id = c.account_id AND ka.account_rank = c.account_cap
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
)
SELECT contact_id, used, slots_left, last_used_on,
    CASE WHEN free_from > %(today)s THEN free_from END AS available_from,
    CASE WHEN limit_code <> '' THEN 'limited'
         WHEN slots_left <= %(near)s THEN 'near'
         ELSE 'available' END AS state,
    limit_code
FROM verdict
"""

CHANGES = """
{create}
SELECT f.contact_id, 'reached' AS change
FROM limits_fresh f LEFT JOIN limits_contactusage u ON u.contact_id = f.contact_id
WHERE f.state = 'limited' AND COALESCE(u.state, 'available') <> 'limited'
UNION ALL
SELECT u.contact_id, 'freed'
FROM limits_contactusage u LEFT JOIN limits_fresh f ON f.contact_id = u.contact_id
WHERE u.state = 'limited' AND COALESCE(f.state, 'available') <> 'limited'
UNION ALL
SELECT f.contact_id, 'near'
FROM limits_fresh f LEFT JOIN limits_contactusage u ON u.contact_id = f.contact_id
WHERE f.state = 'near' AND COALESCE(u.state, 'available') = 'available'
"""

MOVES = """
{create}
SELECT f.contact_id, 'active' AS from_status, 'resting' AS to_status, f.limit_code
FROM limits_fresh f JOIN references_contact c ON c.id = f.contact_id
WHERE f.state = 'limited' AND c.status = 'active'
UNION ALL
SELECT u.contact_id, 'resting', 'active', ''
FROM limits_contactusage u
JOIN references_contact c ON c.id = u.contact_id
LEFT JOIN limits_fresh f ON f.contact_id = u.contact_id
WHERE u.rested_by_job AND c.status = 'resting' AND COALESCE(f.state, 'available') <> 'limited'
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

UPSERT = """
INSERT INTO limits_contactusage
    (contact_id, used, slots_left, last_used_on, available_from, state, limit_code, rested_by_job)
SELECT f.contact_id, f.used, f.slots_left, f.last_used_on, f.available_from, f.state, f.limit_code,
    CASE WHEN m.to_status = 'resting' THEN TRUE
         WHEN m.to_status = 'active' THEN FALSE
         ELSE COALESCE(u.rested_by_job, FALSE) END
FROM limits_fresh f
LEFT JOIN limits_contactusage u ON u.contact_id = f.contact_id
LEFT JOIN limits_moves m ON m.contact_id = f.contact_id
WHERE TRUE
ON CONFLICT (contact_id) DO UPDATE SET
    used = excluded.used, slots_left = excluded.slots_left, last_used_on = excluded.last_used_on,
    available_from = excluded.available_from, state = excluded.state, limit_code = excluded.limit_code,
    rested_by_job = excluded.rested_by_job
WHERE limits_contactusage.used IS DISTINCT FROM excluded.used
    OR limits_contactusage.slots_left IS DISTINCT FROM excluded.slots_left
    OR limits_contactusage.last_used_on IS DISTINCT FROM excluded.last_used_on
    OR limits_contactusage.available_from IS DISTINCT FROM excluded.available_from
    OR limits_contactusage.state IS DISTINCT FROM excluded.state
    OR limits_contactusage.limit_code IS DISTINCT FROM excluded.limit_code
    OR limits_contactusage.rested_by_job IS DISTINCT FROM excluded.rested_by_job
"""

DELETE_UNUSED = """
DELETE FROM limits_contactusage
WHERE NOT EXISTS (SELECT 1 FROM limits_fresh f WHERE f.contact_id = limits_contactusage.contact_id)
"""

TEMP_TABLES = ("limits_fresh", "limits_changes", "limits_moves")


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


def _fresh_sql(sql: _Sql, policy: LimitPolicy) -> str:
    window = str(policy.window_days)
    slots = ["contact_slots", "COALESCE(own_slots, contact_slots)", "account_slots"]
    return FRESH.format(
        create=sql.temp("limits_fresh"),
        committed=", ".join(f"'{status}'" for status in COMMITTED_STATUSES),
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
    cursor.execute(UPSERT)
    result.rows_written = cursor.rowcount
    cursor.execute(DELETE_UNUSED)
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
        cursor.execute(_fresh_sql(sql, policy), params)
        if sql.postgres:
            cursor.execute("ANALYZE limits_fresh")
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

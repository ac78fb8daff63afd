"""Step 3 of the job: the verdicts of the contacts judged, compared with the stored ones (see
limits.usage).

Per contact: slots used, the tightest count limit and the day a slot frees — the caps, the
limit codes in their order of precedence, the windows and the rest come from limits.rules —
and, to tell whether a stored verdict still holds, the fingerprint of the rules it was judged by.
"""

import hashlib
from datetime import date

from core.dialect import Dialect
from limits.models import LimitPolicy, LimitRule
from limits.rules import (
    Windows,
    account_cap_sql,
    contact_cap_sql,
    counting_types,
    limit_code_sql,
    longest_rest,
    quarter_bounds,
    rest_days_sql,
    sql_parameters,
)
from limits.usage.uses import IN_SCOPE, CountingTypes, per_contact_sql, uses_sql

# Part of every stored row's fingerprint: a new way of computing checksums, of finding who
# changed, or of judging them, judges everyone once.
CHECKSUM_VERSION = 8


# Step 3 — per contact judged: slots used, the tightest count limit and the day a slot frees,
# compared with the stored usage; only what differs is kept. The contacts judged are those with
# uses, and those without whom the limits still hold back (`held_back`): at an account whose uses
# leave fewer free slots than the program allows one contact, or with an own cap of 0. So a
# contact without a stored row has used nothing, and their account leaves them every slot.
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
held_back AS (
    SELECT c.id AS contact_id, c.account_id, 0 AS used, 0 AS quarter_used,
        CAST(NULL AS DATE) AS last_used_on, CAST(NULL AS DATE) AS first_in_window,
        CAST(NULL AS DATE) AS first_before_quarter, 0 AS uses_checksum
    FROM references_contact c
    WHERE ({at_bound_account} OR {own_cap_zero}) {held_back_in_scope}
        AND c.id NOT IN (SELECT contact_id FROM per_contact)  -- hashed once
),
judged AS (SELECT * FROM per_contact UNION ALL SELECT * FROM held_back),
caps AS (
    SELECT p.*, {contact_cap} AS cap, {rest_days} AS rest_days, pp.own_cap_per_quarter AS own_cap,
        COALESCE(pa.cap, {account_cap}) AS account_cap, COALESCE(pa.used, 0) AS account_used
    FROM judged p
    LEFT JOIN per_account pa ON pa.account_id = p.account_id
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


def parameters(sql: Dialect, policy: LimitPolicy, today: date) -> dict:
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


def _diff_sql(sql: Dialect, *, scoped: bool) -> str:
    window = "%(window_days)s"
    slots = ["contact_slots", "COALESCE(own_slots, contact_slots)", "account_slots"]
    stored, held_back_in_scope = "limits_contactusage", ""
    if scoped:
        in_scope = IN_SCOPE.format(column="u.contact_id", table="limits_scope")
        stored = f"(SELECT * FROM limits_contactusage u WHERE TRUE {in_scope})"
        held_back_in_scope = "AND " + sql.in_rows("c.id", "SELECT contact_id FROM limits_scope")
    return DIFF.format(
        create=sql.temp("limits_diff"),
        per_contact=per_contact_sql("limits_uses"),
        stored=stored,
        # Read by index, a few contacts: of the accounts their uses leave fewer free slots than the
        # program allows one contact, and those whose own cap is 0 (from the own caps' index).
        at_bound_account=sql.in_rows(
            "c.account_id", "SELECT account_id FROM per_account WHERE cap - used < %(contact_max)s"
        ),
        own_cap_zero=sql.in_rows(
            "c.id", "SELECT contact_id FROM references_participationpreferences WHERE own_cap_per_quarter = 0"
        ),
        held_back_in_scope=held_back_in_scope,
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


def judge(cursor, sql: Dialect, types: CountingTypes, params: dict, *, scoped: bool) -> None:
    """The uses of the contacts judged, and their verdicts compared with the stored ones (step 3)."""
    if sql.is_postgres and scoped:
        cursor.execute("ANALYZE limits_scope")
    cursor.execute(f"{sql.temp('limits_uses')} {uses_sql(sql, types, scoped=scoped)}", params)
    if sql.is_postgres and not scoped:
        # A temporary table has no statistics, and the aggregates in between defeat estimates:
        # measure the one, and keep the large joins of the other hash joins.
        cursor.execute("ANALYZE limits_uses")
        cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute(_diff_sql(sql, scoped=scoped), params)
    if sql.is_postgres:
        cursor.execute("SET LOCAL enable_nestloop = on")

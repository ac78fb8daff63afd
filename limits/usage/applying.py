"""Steps 4 and 5 of the job: what the differences mean — who reached a limit, was freed from one
or came near one, who moves in or out of resting — and writing them (see limits.usage).
"""

from dataclasses import dataclass

from core.dialect import Dialect
from limits.rules import VerdictChange, reason_sql
from references.services import contact_moves_apply
from references.statuses import ReferenceStatus

# Step 4 — what each difference means for the people told: a contact reached a limit, was freed
# from one, or came near one (the run's summaries, limits.notices, read this table).
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


@dataclass(frozen=True)
class Changes:
    """What the differences mean: how many reached a limit, were freed from one or came near one."""

    reached: int
    freed: int
    near: int


@dataclass(frozen=True)
class Applied:
    """What writing them did: contacts moved to resting and back, usage rows written."""

    rested: int
    reactivated: int
    rows_written: int


def changes_find(cursor, sql: Dialect, params: dict) -> Changes:
    """`limits_changes` and `limits_moves` from `limits_diff` (step 4), and how many of each change."""
    cursor.execute(CHANGES.format(create=sql.temp("limits_changes")), params)
    cursor.execute(MOVES.format(create=sql.temp("limits_moves")), params)
    cursor.execute("SELECT change, COUNT(*) FROM limits_changes GROUP BY change")
    counts = dict(cursor.fetchall())
    return Changes(
        reached=counts.get(VerdictChange.REACHED, 0),
        freed=counts.get(VerdictChange.FREED, 0),
        near=counts.get(VerdictChange.NEAR, 0),
    )


def apply(cursor, params: dict, *, rewrite: bool) -> Applied:
    """Move the contacts in `limits_moves`, and write the differences to the usage table (step 5)."""
    # The status moves go through the one place that changes statuses, with their history.
    moved = contact_moves_apply(
        moves="limits_moves", reason_sql=reason_sql("m.limit_code"), params=params, at=params["now"]
    )
    cursor.execute(DELETE_USAGE)
    rows_written = cursor.rowcount
    if rewrite:  # every row differs (its rules key does): all of them are in limits_diff
        cursor.execute("DELETE FROM limits_contactusage")
        statements = (REWRITE_USAGE,)
    else:
        statements = (UPDATE_USAGE, INSERT_USAGE)
    for statement in statements:
        cursor.execute(statement, params)
        rows_written += cursor.rowcount
    return Applied(moved.get(ReferenceStatus.RESTING, 0), moved.get(ReferenceStatus.ACTIVE, 0), rows_written)

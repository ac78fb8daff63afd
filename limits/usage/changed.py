"""Steps 1 and 2 of the job: who may have changed since the stored verdicts, and who is judged
again with them (see limits.usage).

From the changes the database triggers noted and the contacts due today (hourly and daily runs),
or from every contact's checksum compared with the stored one (the weekly run that verifies);
then their accounts' other stored contacts, whose shared account limit they change.
"""

from core.dialect import Dialect
from limits.usage.uses import CountingTypes, checksums_sql, held_sql, requested_sql

STREAMING_PLAN = ("enable_hashagg", "enable_sort", "enable_hashjoin", "enable_nestloop")

# Above this many contacts to judge again, ranking everyone in one pass beats reading by index.
SCOPE_LIMIT = 25_000


# Step 1 — the aggregate, every contact's checksum in one pass, compared with the stored
# usage: the contacts whose held uses (their days and types, from the first day that counts),
# own cap or account differ from what their stored verdict was computed from, whose stored
# "available from" day has come, or whose earliest use leaves the window today (a new quarter,
# which moves the day a contact at their own cap is free, judges everyone: the quarter is part
# of `rules_key`). All three are read in contact order and merged as they stream by. A contact
# with an approved request not yet held (a few dozen at a time) is always judged again, with the
# account they are stored under: their request is counted in their stored usage, not in the held
# checksums here. A contact stored without uses of their own, held back by their account's limit,
# is judged again with that account (or when noted: an own cap changed); a stored contact whose
# uses are all gone is judged with their own account, whose limit may hold them back now.
CHANGED = """
{create}
SELECT COALESCE(h.contact_id, u.contact_id) AS contact_id,
    COALESCE(h.account_id, (SELECT c.account_id FROM references_contact c WHERE c.id = u.contact_id))
        AS counted_in,
    u.account_id AS stored_in
FROM ({held_checksums}) h
LEFT JOIN references_participationpreferences pp
    ON pp.contact_id = h.contact_id AND pp.own_cap_per_quarter IS NOT NULL
FULL OUTER JOIN limits_contactusage u ON u.contact_id = h.contact_id
WHERE (h.contact_id IS NULL AND {stored_for_uses}) OR u.contact_id IS NULL
    OR h.account_id <> u.account_id
    OR h.uses_checksum <> u.uses_checksum
    OR (h.contact_id IS NOT NULL AND pp.own_cap_per_quarter IS DISTINCT FROM u.own_cap)
    OR u.available_from <= %(today)s
    OR u.window_moves_on <= %(today)s
"""

# The contacts whose uses, own cap or approved requests changed since the last run, or who were
# created or moved to another account, as the database triggers noted them (limits.UsageChange,
# limits/change_triggers.py), taken off the table in the statement that reads them: a change
# committed after it stays for the next run.
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
# use spoken for the lowest account leaves the window) — or, without uses, their own account,
# whose limit may hold them back — and the one they are stored under. The same contacts the
# checksums find (tested).
NOTED = """
SELECT n.contact_id, COALESCE(h.account_id, c.account_id) AS counted_in, u.account_id AS stored_in
FROM limits_noted n
LEFT JOIN (
    SELECT contact_id, MIN(account_id) AS account_id FROM ({held}) held GROUP BY contact_id
) h ON h.contact_id = n.contact_id
LEFT JOIN limits_contactusage u ON u.contact_id = n.contact_id
LEFT JOIN references_contact c ON c.id = n.contact_id
WHERE h.contact_id IS NOT NULL OR u.contact_id IS NOT NULL OR c.id IS NOT NULL  -- not deleted
"""

CHANGED_BY_REQUESTS = """
INSERT INTO limits_changed (contact_id, counted_in, stored_in)
SELECT requested.contact_id, requested.account_id, s.account_id
FROM ({requested}) requested
LEFT JOIN limits_contactusage s ON s.contact_id = requested.contact_id
"""

# Step 2 — who is judged again: the changed contacts and every contact of their accounts: those
# stored under them, and theirs stored nowhere (an account's limit is shared, and holds back those
# of its contacts who used nothing; the old account too, if a contact's uses moved). A contact
# stored under another account is judged with that one.
SCOPE = """
{create}
WITH accounts AS (
    SELECT counted_in AS account_id FROM limits_changed WHERE counted_in IS NOT NULL
    UNION
    SELECT stored_in FROM limits_changed WHERE stored_in IS NOT NULL
)
SELECT contact_id FROM limits_changed
UNION
SELECT u.contact_id FROM accounts JOIN limits_contactusage u ON u.account_id = accounts.account_id
UNION
SELECT c.id FROM references_contact c
WHERE {of_accounts} AND NOT EXISTS (SELECT 1 FROM limits_contactusage s WHERE s.contact_id = c.id)
"""


# A stored row for the contact's uses, not one for a contact held back without uses (who has used
# nothing in the window and has no last use).
STORED_FOR_USES = "(u.used > 0 OR u.last_used_on IS NOT NULL)"


def _changed_sql(sql: Dialect, types: CountingTypes) -> str:
    return CHANGED.format(
        create=sql.temp("limits_changed"),
        held_checksums=checksums_sql(sql, types),
        stored_for_uses=STORED_FOR_USES,
    )


def take_noted(cursor, sql: Dialect) -> None:
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


def _changed_by_checksums(cursor, sql: Dialect, types: CountingTypes, params: dict) -> None:
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


def scope(cursor, sql: Dialect, types: CountingTypes, params: dict, *, verify: bool) -> int | None:
    """Find those to judge again (steps 1 and 2): from the changes the triggers noted, or, to
    `verify`, from every contact's checksum.

    Returns how many are in `limits_scope`, or None when judging everyone is cheaper.
    """
    noted = NOTED.format(held=held_sql(types, scoped=True, of="limits_noted"))
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
    cursor.execute(CHANGED_BY_REQUESTS.format(requested=requested_sql(types)), params)
    if sql.is_postgres:
        cursor.execute("ANALYZE limits_changed")  # a few thousand rows: the next joins read by index
    of_accounts = sql.in_rows("c.account_id", "SELECT account_id FROM accounts")
    cursor.execute(SCOPE.format(create=sql.temp("limits_scope"), of_accounts=of_accounts))
    cursor.execute("SELECT COUNT(*) FROM limits_scope")
    in_scope = cursor.fetchone()[0]
    return in_scope if in_scope <= SCOPE_LIMIT else None

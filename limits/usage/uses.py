"""What uses a slot, as the job reads it: held activities of the types that count and approved
requests not yet held, per contact, day and type, with the checksum of the held ones.

The rules they follow are limits.rules' (which types count, a one-to-many occurrence once per
contact, type and day, the committed request statuses, the window and the quarter); these are
their set-based spellings, for every contact or for those in a temporary table.
"""

from dataclasses import dataclass

from core.dialect import Dialect
from limits.rules import COMMITTED_SQL, counting_types, in_quarter_sql, in_window_sql

FINGERPRINT_DAYS = 20_000


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


@dataclass(frozen=True)
class CountingTypes:
    """The activity types that use a slot, and which of them are one-to-many: a handful of ids,
    written into the statements so the activities are read without a join, in index order."""

    counting: str
    one_to_many: str

    @classmethod
    def current(cls) -> "CountingTypes":
        types = counting_types()
        return cls(
            counting=", ".join(str(pk) for pk, _ in types) or "-1",
            one_to_many=", ".join(str(pk) for pk, one_to_many in types if one_to_many) or "-1",
        )


def held_sql(types: CountingTypes, *, scoped: bool = False, of: str = "limits_scope") -> str:
    """Held activities that use a slot (a SELECT), of every contact or of those in `of`."""
    in_scope = IN_SCOPE.format(column="a.contact_id", table=of) if scoped else ""
    return HELD.format(counting=types.counting, in_scope=in_scope)


def requested_sql(types: CountingTypes, *, scoped: bool = False) -> str:
    """Approved requests not yet held (a SELECT), of every contact or of those in `limits_scope`."""
    return REQUESTED.format(
        committed=COMMITTED_SQL,
        counting=types.counting,
        in_scope=IN_SCOPE.format(column="r.chosen_contact_id", table="limits_scope") if scoped else "",
    )


def uses_sql(sql: Dialect, types: CountingTypes, *, scoped: bool = False) -> str:
    """Each contact's uses per day and type (a SELECT), of every contact or of those in `limits_scope`."""
    return USES.format(
        held=held_sql(types, scoped=scoped),
        requested=requested_sql(types, scoped=scoped),
        one_to_many=types.one_to_many,
        row_fingerprint=use_fingerprint(sql, "on_date", "activity_type_id"),
        today_fingerprint=use_fingerprint(sql, "%(today)s", "0"),
    )


def per_contact_sql(uses: str) -> str:
    return PER_CONTACT.format(
        uses=uses, in_window=in_window_sql("on_date"), in_quarter=in_quarter_sql("on_date")
    )


def checksums_sql(sql: Dialect, types: CountingTypes) -> str:
    """Every contact's account and checksum (a SELECT): the aggregate step 1 is built on."""
    return HELD_CHECKSUMS.format(
        held=f"({held_sql(types)})", row_fingerprint=use_fingerprint(sql, "on_date", "activity_type_id")
    )

"""What the live check reads about a few contacts, in one statement.

`limits.live_check` judges contacts from facts it reads on every call: the program's policy, the
rules that may apply, blackouts, the held activities and approved requests of their accounts,
their own caps, the activity types (a few rows: what counts, what is one-to-many), and, when
asked by contact id, the contacts and accounts themselves. Each of those was a query built by the
ORM, and building them cost several times more than running them (`bench/availability.py`), on
every search page. So they are one UNION ALL here, written once per shape (how many contacts,
which parts), each row tagged with its kind in typed columns: ints, dates, texts (booleans as 0 or
1, the same on both databases). Nothing is kept between calls: the policy, the rules and the types
are edited in the admin, and each answer reads them as they are.

The held activities are read from the first day any of them can count (`limits.rules.Windows.
horizon`) for the longest rest among the policy and the rules read, computed in the statement;
a use from before a contact's own horizon changes none of their answers (it is outside the
window and the quarter, and its rest is over), as when several contacts are judged at once.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.db import connection

from core.dialect import Dialect
from limits.models import LimitPolicy, LimitRule
from limits.rules import occurrence, quarter_bounds
from references.models import ActivityType
from requests_app.statuses import COMMITTED_STATUSES

TYPE, CONTACT, OWN_CAP, POLICY, RULE, BLACKOUT, HELD, APPROVED = range(8)
_COLUMNS = (("BIGINT", 8), ("DATE", 2), ("TEXT", 4))  # the typed columns after the kind


@dataclass(frozen=True)
class _Branch:
    """One kind of row: its values for the int, date and text columns, and where they come from."""

    ints: tuple[str, ...]
    dates: tuple[str, ...]
    texts: tuple[str, ...]
    source: str

    def select(self, kind: int, typed: bool) -> str:
        """NULL in the columns it leaves empty; typed in the first branch, as PostgreSQL types a
        union two branches at a time (and two bare NULLs as text)."""
        pad = "CAST(NULL AS {})" if typed else "NULL"
        columns = [str(kind)]
        for values, (sql_type, width) in zip((self.ints, self.dates, self.texts), _COLUMNS, strict=True):
            columns += [*values, *[pad.format(sql_type)] * (width - len(values))]
        return f"SELECT {', '.join(columns)} {self.source}"


def _flag(column: str) -> str:
    return f"CAST({column} AS INTEGER)"  # a boolean as 0 or 1 on both databases


_POLICY_FIELDS = (
    "contact_max",
    "account_max",
    "window_days",
    "rest_days",
    "renewal_exclusion_days",
    "exclude_open_escalations",
    "exclude_at_risk",
    "near_limit_slots",
)

# `asked_contact` / `asked_account`: the column is one of the contacts' ids / their accounts'.
_BRANCHES = {
    TYPE: _Branch(
        ("id", _flag("counts_toward_limits"), _flag("is_one_to_many")),
        (),
        ("name",),
        "FROM references_activitytype",
    ),
    CONTACT: _Branch(
        ("c.id", "c.account_id", "a.open_escalations", _flag("a.at_risk"), "p.own_cap_per_quarter"),
        ("a.renewal_date",),
        ("c.first_name", "c.last_name", "c.status", "a.name"),
        "FROM asked c JOIN references_account a ON a.id = c.account_id"
        " LEFT JOIN references_participationpreferences p ON p.contact_id = c.id",
    ),
    OWN_CAP: _Branch(
        ("contact_id", "own_cap_per_quarter"),
        (),
        (),
        "FROM references_participationpreferences WHERE {asked_contact}",
    ),
    POLICY: _Branch(
        tuple(_flag(name) if name.startswith("exclude") else name for name in _POLICY_FIELDS),
        (),
        (),
        "FROM limits_limitpolicy WHERE id = 1",
    ),
    RULE: _Branch(
        ("id", "account_id", "contact_id", "activity_type_id", "contact_max", "account_max", "rest_days"),
        (),
        ("reason",),
        "FROM rules",
    ),
    BLACKOUT: _Branch(
        ("id", "contact_id"),
        ('"start"', '"end"'),
        ("reason",),
        'FROM references_blackoutperiod WHERE {asked_contact} AND "end" >= %(on_date)s',
    ),
    HELD: _Branch(
        ("id", "account_id", "contact_id", "activity_type_id"),
        ("occurred_on",),
        (),
        "FROM references_referenceactivity"
        " WHERE {asked_account} AND occurred_on >= (SELECT day FROM horizon)",
    ),
    APPROVED: _Branch(
        ("q.id", "c.account_id", "q.chosen_contact_id", "q.activity_type_id"),
        (),
        (),
        "FROM references_contact c JOIN requests_app_referencerequest q ON q.chosen_contact_id = c.id"
        " WHERE {asked_contacts_account} AND q.status IN ({committed}) {not_excluded}",
    ),
}

# The contacts asked about by id, with what the live check says of them.
_ASKED = (
    "asked AS (SELECT id, account_id, first_name, last_name, status FROM references_contact"
    " WHERE id IN ({ids}))"
)

# The rules that may apply to any of the contacts for the activity asked about: their own, their
# accounts', the program-wide ones; of no type, or of that type (an unsaved type: none of a type).
_RULES = """rules AS (SELECT id, account_id, contact_id, activity_type_id, contact_max, account_max,
rest_days, reason FROM limits_limitrule WHERE ({asked_contact} OR {asked_account}
OR (contact_id IS NULL AND account_id IS NULL)) AND (activity_type_id IS NULL {of_type}))"""

# The first day a held activity can count on the day asked about: the quarter's first day, or
# the window's, or the first day whose use still rests the contact after the longest rest (the
# program's defaults when its row is gone, as LimitPolicy.current()).
_HORIZON = """horizon AS (SELECT {horizon} AS day FROM (SELECT MAX(days) AS days FROM (
SELECT COALESCE(MAX(window_days), %(window_days)s) AS days FROM limits_limitpolicy WHERE id = 1
UNION ALL SELECT COALESCE(MAX(rest_days), %(rest_days)s) FROM limits_limitpolicy WHERE id = 1
UNION ALL SELECT rest_days FROM rules) spans) longest)"""


@dataclass(frozen=True)
class Shape:
    """What a statement reads: for `contacts` contact ids, of the accounts given (`accounts` of
    them) or of the contacts' own (`accounts` None: the contacts and accounts are read too)."""

    contacts: int
    accounts: int | None
    of_type: bool  # the rules of one (saved) type apply besides those of none
    excluding: bool  # an approved request is left out
    own_caps: bool  # read the contacts' own caps (they come with the contacts when those are read)


@lru_cache(maxsize=128)
def statement(shape: Shape, vendor: str) -> str:
    """The statement for `shape`, written once (and short enough for psycopg to keep its parsed
    form: under 4 kB for a page of 20)."""
    sql = Dialect(vendor)
    ids = ", ".join(f"%(c{n})s" for n in range(shape.contacts))
    if shape.accounts is None:  # arrays of the few ids, so that the indexes on them are read
        contact_ids, account_ids = "SELECT id FROM asked", "SELECT account_id FROM asked"
        among = sql.in_rows
    else:
        contact_ids, account_ids = ids, ", ".join(f"%(a{n})s" for n in range(shape.accounts))

        def among(column: str, values: str) -> str:
            return f"{column} IN ({values})"

    fill = {
        "ids": ids,
        "asked_contact": among("contact_id", contact_ids),
        "asked_account": among("account_id", account_ids),
        "asked_contacts_account": among("c.account_id", account_ids),
        "of_type": "OR activity_type_id = %(type_id)s" if shape.of_type else "",
        "committed": ", ".join(f"%(s{n})s" for n in range(len(COMMITTED_STATUSES))),
        "not_excluded": "AND q.id <> %(excluded)s" if shape.excluding else "",
        "horizon": sql.earliest_day("%(quarter_start)s", sql.minus_days("%(on_date)s", "longest.days - 1")),
    }
    kinds = [TYPE, POLICY, RULE, BLACKOUT, HELD, APPROVED]
    kinds += [CONTACT] if shape.accounts is None else [OWN_CAP] if shape.own_caps else []
    ctes = ([_ASKED] if shape.accounts is None else []) + [_RULES, _HORIZON]
    branches = (_BRANCHES[kind].select(kind, typed=n == 0) for n, kind in enumerate(sorted(kinds)))
    union = "\nUNION ALL ".join(branch.format(**fill) for branch in branches)
    # Rows in kind order, then by date and id: rules and held activities by id, blackouts by start.
    return f"WITH {', '.join(cte.format(**fill) for cte in ctes)}\n{union}\nORDER BY 1, 10, 2"


# --- What the rows say ------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A contact, as the live check names them."""

    pk: int
    first_name: str
    last_name: str
    status: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class AccountHealth:
    """What the live check reads of an account: its name and its health."""

    pk: int
    name: str
    open_escalations: int
    at_risk: bool
    renewal_date: date | None


@dataclass(frozen=True)
class Blackout:
    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class Use:
    account_id: int
    contact_id: int
    activity_type_id: int
    on_date: date
    counts: bool  # the type uses a slot under the program's limits
    dated: bool  # a held activity (starts a rest period); approvals not yet held are not


@dataclass
class Reads:
    policy: LimitPolicy  # its fields but `updated_at` (the live check does not read it)
    types: dict[int, tuple[bool, bool, str]]  # every activity type: counts, is one-to-many, name
    rules: list[LimitRule]  # in id order
    blackouts: dict[int, list[Blackout]]  # by contact, in order of start (ending on the day or later)
    uses: dict[int, list[Use]]  # by account
    own_caps: dict[int, int | None] = field(default_factory=dict)
    people: dict[int, tuple[Person, AccountHealth]] = field(default_factory=dict)  # read by id


def read(
    contact_ids: list[int],
    *,
    account_ids: Iterable[int] | None,
    type_id: int | None,
    on_date: date,
    today: date,
    exclude_request_id: int | None,
    own_caps: bool = True,
) -> Reads:
    """The facts about `contact_ids` (of `account_ids`; None: of their own accounts, read with
    them) for an activity of the type `type_id` (None: an unsaved type, any that counts) on
    `on_date`, approved requests counting from `today`: one statement. Contacts not found are
    left out."""
    accounts = None if account_ids is None else sorted(set(account_ids))
    shape = Shape(
        contacts=len(contact_ids),
        accounts=None if accounts is None else len(accounts),
        of_type=type_id is not None,
        excluding=exclude_request_id is not None,
        own_caps=own_caps,
    )
    sql = Dialect(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            statement(shape, sql.vendor),
            _parameters(sql, contact_ids, accounts or (), type_id, on_date, exclude_request_id),
        )
        rows = cursor.fetchall()
    return _reads(rows, accounts or (), today)


def _parameters(sql: Dialect, contact_ids, account_ids, type_id, on_date, excluded) -> dict:
    return {
        **{f"c{n}": pk for n, pk in enumerate(contact_ids)},
        **{f"a{n}": pk for n, pk in enumerate(account_ids)},
        **{f"s{n}": status.value for n, status in enumerate(COMMITTED_STATUSES)},
        "type_id": type_id,
        "excluded": excluded,
        "on_date": sql.day(on_date),
        "quarter_start": sql.day(quarter_bounds(on_date)[0]),
        # What LimitPolicy.current() gives without its row.
        "window_days": LimitPolicy._meta.get_field("window_days").default,
        "rest_days": LimitPolicy._meta.get_field("rest_days").default,
    }


def _day(value) -> date | None:
    """A date column: a date on PostgreSQL, ISO text on SQLite."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _reads(rows: list[tuple], account_ids, today: date) -> Reads:
    reads = Reads(
        policy=LimitPolicy(pk=1), types={}, rules=[], blackouts={}, uses={pk: [] for pk in account_ids}
    )
    types = reads.types
    uses: dict[tuple, Use] = {}  # (models are built only for the few rows that need one)
    for kind, n1, n2, n3, n4, n5, n6, n7, n8, d1, d2, t1, t2, t3, t4 in rows:
        if kind == HELD:  # an occurrence's row of the lowest id (rows come by day and id)
            day, (counts, one_to_many, _name) = _day(d1), types[n4]
            uses.setdefault(occurrence(n1, n3, n4, day, one_to_many), Use(n2, n3, n4, day, counts, True))
        elif kind == APPROVED:
            uses[("request", n1)] = Use(n2, n3, n4, today, types[n4][0], False)
        elif kind == BLACKOUT:
            reads.blackouts.setdefault(n2, []).append(Blackout(_day(d1), _day(d2), t1))
        elif kind == RULE:
            reads.rules.append(_rule(types, n1, n2, n3, n4, n5, n6, n7, t1))
        elif kind == TYPE:
            types[n1] = (bool(n2), bool(n3), t1)
        elif kind == CONTACT:
            reads.people[n1] = (Person(n1, t1, t2, t3), AccountHealth(n2, t4, n3, bool(n4), _day(d1)))
            reads.own_caps[n1] = n5
            reads.uses.setdefault(n2, [])
        elif kind == OWN_CAP:
            reads.own_caps[n1] = n2
        elif kind == POLICY:
            values = dict(zip(_POLICY_FIELDS, (n1, n2, n3, n4, n5, bool(n6), bool(n7), n8), strict=True))
            reads.policy = LimitPolicy(pk=1, **values)
    for use in uses.values():
        reads.uses.setdefault(use.account_id, []).append(use)
    return reads


def _rule(types, pk, account_id, contact_id, type_id, contact_max, account_max, rest_days, reason):
    rule = LimitRule(
        pk=pk,
        account_id=account_id,
        contact_id=contact_id,
        activity_type_id=type_id,
        contact_max=contact_max,
        account_max=account_max,
        rest_days=rest_days,
        reason=reason,
    )
    if type_id is not None:  # its name labels its caps (limits.rules.count_caps)
        rule.activity_type = activity_type_read(types, type_id)
    return rule


def activity_type_read(types: dict[int, tuple[bool, bool, str]], pk: int) -> ActivityType:
    """The activity type `pk` as read (what the live check reads of it)."""
    counts, one_to_many, name = types[pk]
    return ActivityType(pk=pk, counts_toward_limits=counts, is_one_to_many=one_to_many, name=name)

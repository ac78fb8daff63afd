"""The utilization figures that count each contact's activities in the range, from one statement.

The histogram, concentration (its pool and the top's sums) and asks against give-back all start
from the same rows: the range's activities counted per contact. The statement counts them once,
in contact order (a CTE, `done`), with two counts per contact — every activity (`n`, the asks'
part) and those of the segment (`seg`: its accounts and activity type, the histogram's) — and
derives from it, in one round trip:

- the spread: how many contacts did each number of the segment's activities (a few dozen rows);
- the pool's idle part: the segment's contacts in the program without one of those activities;
- the asks and give-back totals of the segment's contacts (`customers.giveback`'s counts).

The top's sums come from the spread in Python: the `size` most active contacts did the same
number of activities however ties among them are broken.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When

from customers.giveback import rows_between
from insights.segments import Segment, account_filter, contact_filter
from limits.models import ContactUsage, UsageState
from references.models import Account, Contact, ReferenceActivity
from references.statuses import USABLE_STATUSES, ReferenceStatus
from requests_app.models import ReferenceRequest

# The histogram's last bar counts everyone with this many activities or more.
HISTOGRAM_TOP = 5
# "Asked a lot, given nothing": at least this many asks in the range and no give-back.
UNTHANKED_ASKS = 3
# The contacts a program runs on: concentration's pool (with whoever did an activity).
PROGRAM_STATUSES = (
    ReferenceStatus.ACTIVE,
    ReferenceStatus.RESTING,
    ReferenceStatus.PAUSED,
    ReferenceStatus.AT_RISK,
)
PROMOTER_NPS = 9
# The statement's rows: (kind, a, b, c).
_IDLE, _SPREAD, _BALANCE, _REFERENCES, _OTHERS = range(5)


@dataclass(frozen=True)
class Histogram:
    bars: tuple[tuple[int, int, int], ...]  # (activities, or HISTOGRAM_TOP for "5+"; contacts; activities)
    contacts: int
    activities: int

    @property
    def mean(self) -> float | None:
        return self.activities / self.contacts if self.contacts else None


@dataclass(frozen=True)
class Spread:
    """How the range's activities spread over the contacts: {activities: contacts who did that
    many} for the active references, and the size of concentration's pool."""

    contacts_by_count: dict[int, int]
    pool: int

    def histogram(self) -> Histogram:
        def bar(number: int) -> tuple[int, int, int]:  # the last bar: HISTOGRAM_TOP or more
            found = [
                (n, c)
                for n, c in self.contacts_by_count.items()
                if n == number or HISTOGRAM_TOP == number <= n
            ]
            return number, sum(c for _n, c in found), sum(n * c for n, c in found)

        bars = tuple(bar(number) for number in range(1, HISTOGRAM_TOP + 1))
        return Histogram(bars, contacts=sum(b[1] for b in bars), activities=sum(b[2] for b in bars))

    def top_sum(self, size: int) -> int:
        """The activities done by the `size` most active contacts (a sum: how ties are broken
        changes who is in the top, never how much they did)."""
        total = 0
        for n in sorted(self.contacts_by_count, reverse=True):
            taken = min(size, self.contacts_by_count[n])
            total, size = total + taken * n, size - taken
        return total


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _of_segment(segment: Segment) -> Q:
    """`segments.activity_filter`, its accounts as an id list (`account_id IN (…)`): tested on
    each activity while counting, without joining the accounts to every activity."""
    q = Q()
    if account_filter(segment):
        q &= Q(account__in=Account.objects.filter(account_filter(segment)).values("pk"))
    if segment.activity_type is not None:
        q &= Q(activity_type_id=segment.activity_type)
    return q


def _sql(query) -> tuple[str, tuple]:
    return query.order_by().query.sql_with_params()


def balance_rows_sql(segment: Segment, done: str | None = None) -> tuple[str, tuple]:
    """SQL for (who, asks, given): `customers.giveback`'s counts in the range for each contact
    asked or given to there (the segment's, when `done` is the statement's CTE; every one
    otherwise, the caller keeping the segment's). The three kinds of rows are counted per contact
    first, then joined on the contact: no correlated count per contact. `done`: a relation of
    (who, n) to read the activities from, counted already."""
    activities, in_flight, given = rows_between(segment.start, segment.end)
    parts, params = [], []
    for rows in (
        None if done else activities.values(who=F("contact")),
        in_flight.values(who=F("chosen_contact")),
        given.values(who=F("contact")),
    ):
        if rows is None:
            parts.append(done)
            continue
        inner, inner_params = _sql(rows)
        counted = f"SELECT part.who, COUNT(*) AS n FROM ({inner}) part WHERE part.who IS NOT NULL"
        parts.append(f"({counted} GROUP BY part.who)")
        params.extend(inner_params)
    done_rows, flight, thanks = parts
    sql = (
        "SELECT COALESCE(done.who, flight.who, thanks.who) AS who, "
        "COALESCE(done.n, 0) + COALESCE(flight.n, 0) AS asks, COALESCE(thanks.n, 0) AS given "
        f"FROM {done_rows} done FULL JOIN {flight} flight ON flight.who = done.who "
        f"FULL JOIN {thanks} thanks ON thanks.who = COALESCE(done.who, flight.who)"
    )
    return sql, tuple(params)


def never_asked_promoter() -> Q:
    """Active contacts at accounts with an NPS of PROMOTER_NPS or more, never chosen for a request
    and without an activity, ever (the cheap tests first: the two EXISTS only for those)."""
    chosen = ReferenceRequest.objects.filter(chosen_contact=OuterRef("pk"))
    done = ReferenceActivity.objects.filter(contact=OuterRef("pk"))
    promoting = Account.objects.filter(nps__gte=PROMOTER_NPS).values("pk")  # a list: no join per contact
    return Q(status=ReferenceStatus.ACTIVE, account__in=promoting) & ~Exists(chosen) & ~Exists(done)


def _members_sql(segment: Segment) -> tuple[str, tuple]:
    """The segment's contacts, each with what the counts read of them (found once per page):
    the limits, the resting and the promoters are among the program's (`PROGRAM_STATUSES`)."""
    members = Contact.objects.filter(contact_filter(segment))
    if not segment.filtered:  # only the program's are counted; asks need no member list (all are)
        members = members.filter(status__in=PROGRAM_STATUSES)
    members = members.values(
        "status",
        who=F("pk"),
        promoter=Case(When(never_asked_promoter(), then=Value(1)), default=Value(0)),
    )
    return _sql(members)


def _statement(segment: Segment) -> tuple[str, tuple]:
    activities, _in_flight, _given = rows_between(segment.start, segment.end)
    of_segment = _of_segment(segment)
    counted = activities.values(who=F("contact")).annotate(
        n=Count("*"), seg=Count("pk", filter=of_segment) if of_segment else Count("*")
    )
    done, done_params = _sql(counted)
    members, member_params = _members_sql(segment)
    # The limits job's verdicts that count (a few rows), joined to the references only.
    held = ContactUsage.objects.filter(state__in=(UsageState.LIMITED, UsageState.NEAR))
    verdicts, verdict_params = _sql(held.values("state", who=F("contact")))
    balance, balance_params = balance_rows_sql(segment, done="done")
    program, usable = (", ".join(["%s"] * len(statuses)) for statuses in (PROGRAM_STATUSES, USABLE_STATUSES))
    # Unfiltered, every contact is the segment's (each row's contact is a foreign key).
    # Filtered, a join: `member` holds each contact once (no IN list to make unique first).
    mine = "JOIN member ON member.who = per.who" if segment.filtered else ""
    sql = (
        f"WITH done AS ({done}), member AS ({members}) "
        f"SELECT {_SPREAD}, done.seg, COUNT(*), 0 FROM done WHERE done.seg > 0 GROUP BY done.seg "
        f"UNION ALL SELECT {_IDLE}, COUNT(*), 0, 0 FROM member WHERE member.status IN ({program}) "
        "AND NOT EXISTS (SELECT 1 FROM done WHERE done.who = member.who AND done.seg > 0) "
        f"UNION ALL SELECT {_BALANCE}, COALESCE(SUM(per.asks), 0), COALESCE(SUM(per.given), 0), "
        "COALESCE(SUM(CASE WHEN per.asks >= %s AND per.given = 0 THEN 1 ELSE 0 END), 0) "
        f"FROM ({balance}) per {mine} "
        f"UNION ALL SELECT {_REFERENCES}, COUNT(*), "
        "COALESCE(SUM(CASE WHEN held.state = %s THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN held.state = %s THEN 1 ELSE 0 END), 0) "
        f"FROM member LEFT JOIN ({verdicts}) held ON held.who = member.who WHERE member.status IN ({usable}) "
        f"UNION ALL SELECT {_OTHERS}, COALESCE(SUM(CASE WHEN member.status = %s THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(member.promoter), 0), 0 FROM member"
    )
    params = (
        *done_params,
        *member_params,
        *PROGRAM_STATUSES,
        UNTHANKED_ASKS,
        *balance_params,
        UsageState.LIMITED,
        UsageState.NEAR,
        *verdict_params,
        *USABLE_STATUSES,
        ReferenceStatus.RESTING,
    )
    return sql, params


@dataclass(frozen=True)
class UsageCounts:
    spread: Spread
    balance: dict  # {"asks", "given", "unthanked"}: as `utilization.asks_and_give_back`
    limits: dict  # {"references", "limited", "near"}: as `utilization.limit_shares`
    resting: int  # the segment's contacts resting now
    promoters: int  # never asked (`never_asked_promoter`)


def usage_counts(segment: Segment) -> UsageCounts:
    """The utilization page's counts but the resting series' moves. One query."""
    found = {_IDLE: (0, 0, 0), _BALANCE: (0, 0, 0), _REFERENCES: (0, 0, 0), _OTHERS: (0, 0, 0)}
    spread = {}
    for kind, *values in _fetch(*_statement(segment)):
        a, b, c = (int(value) for value in values)
        if kind == _SPREAD:
            spread[a] = b
        else:
            found[kind] = (a, b, c)
    pool = found[_IDLE][0] + sum(spread.values())
    return UsageCounts(
        spread=Spread(spread, pool),
        balance=dict(zip(("asks", "given", "unthanked"), found[_BALANCE], strict=True)),
        limits=dict(zip(("references", "limited", "near"), found[_REFERENCES], strict=True)),
        resting=found[_OTHERS][0],
        promoters=found[_OTHERS][1],
    )

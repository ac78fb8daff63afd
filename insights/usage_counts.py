"""The utilization figures that count each contact's activities in the range, from one statement.

The histogram, concentration (its pool and the top's sums) and asks against give-back all start
from the same rows: the range's activities counted per contact. The statement counts them once,
in contact order (a CTE, `done`), with two counts per contact — every activity (`n`, the asks'
part) and those of the segment (`seg`: its accounts and activity type, the histogram's) — and
derives from it, in one round trip:

- the spread: how many contacts did each number of the segment's activities (a few dozen rows);
- one row of totals, each of the segment's contacts (every contact, unfiltered) read once, its
  counts joined to it by contact (hash joins; no member list scanned once per figure): the pool's
  idle part (in the program without one of those activities), the asks and give-back totals
  (`customers.giveback`'s counts), today's references and the limits job's verdicts on them, the
  resting and the promoters never asked (their two EXISTS only for those without an activity in
  the range: one there is an activity ever).

The top's sums come from the spread in Python: the `size` most active contacts did the same
number of activities however ties among them are broken.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When

from customers.giveback import rows_between
from insights.segments import Segment, account_filter, contact_filter
from limits.models import ContactUsage, UsageState
from references.models import Account, Contact, ReferenceActivity, StatusChange
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
_SPREAD, _TOTALS = range(2)


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


def balance_rows_sql(segment: Segment) -> tuple[str, tuple]:
    """SQL for (who, asks, given): `customers.giveback`'s counts in the range for each contact
    asked or given to there (every one, the caller keeping the segment's). The three kinds of
    rows are counted per contact first, then joined on the contact: no correlated count per
    contact."""
    parts, params = [], []
    whose = ("contact", "chosen_contact", "contact")
    for rows, who in zip(rows_between(segment.start, segment.end), whose, strict=True):
        part, part_params = _per_contact(rows.values(who=F(who)))
        parts.append(part)
        params.extend(part_params)
    done_rows, flight, thanks = parts
    sql = (
        "SELECT COALESCE(done.who, flight.who, thanks.who) AS who, "
        "COALESCE(done.n, 0) + COALESCE(flight.n, 0) AS asks, COALESCE(thanks.n, 0) AS given "
        f"FROM {done_rows} done FULL JOIN {flight} flight ON flight.who = done.who "
        f"FULL JOIN {thanks} thanks ON thanks.who = COALESCE(done.who, flight.who)"
    )
    return sql, tuple(params)


def _per_contact(rows) -> tuple[str, tuple]:
    """(who, n): `rows` (a `who` column) counted per contact."""
    inner, params = _sql(rows)
    counted = f"SELECT part.who, COUNT(*) AS n FROM ({inner}) part WHERE part.who IS NOT NULL"
    return f"({counted} GROUP BY part.who)", params


def never_asked_promoter() -> Q:
    """Active contacts at accounts with an NPS of PROMOTER_NPS or more, never chosen for a request
    and without an activity, ever (the cheap tests first: the two EXISTS only for those)."""
    chosen = ReferenceRequest.objects.filter(chosen_contact=OuterRef("pk"))
    done = ReferenceActivity.objects.filter(contact=OuterRef("pk"))
    promoting = Account.objects.filter(nps__gte=PROMOTER_NPS).values("pk")  # a list: no join per contact
    return Q(status=ReferenceStatus.ACTIVE, account__in=promoting) & ~Exists(chosen) & ~Exists(done)


def _members_sql(segment: Segment) -> tuple[str, tuple]:
    """The segment's contacts (every contact, unfiltered: asks count them all), each with what
    the counts read of them: the idle, the limits, the resting and the promoters are among the
    program's (`PROGRAM_STATUSES`), tested in the sums."""
    members = Contact.objects.filter(contact_filter(segment)).values(
        "status",
        who=F("pk"),
        promoter=Case(When(never_asked_promoter(), then=Value(1)), default=Value(0)),
    )
    return _sql(members)


def _moves_sql(since: list[datetime]) -> tuple[str, tuple]:
    """(who, d0, d1, …): each contact's moves into resting less those out of it in each period
    [since[i], since[i + 1]) (the last one runs on to now): `utilization.resting_now_and_series`'s
    moves, counted per contact so that the statement keeps its segment's by joining its members."""
    into = Case(When(to_status=ReferenceStatus.RESTING, then=Value(1)), default=Value(0))
    out_of = Case(When(from_status=ReferenceStatus.RESTING, then=Value(1)), default=Value(0))
    ends = [*since[1:], None]
    deltas = {
        f"d{index}": Sum(
            Case(
                When(Q(changed_at__gte=start) & (Q(changed_at__lt=end) if end else Q()), then=into - out_of),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for index, (start, end) in enumerate(zip(since, ends, strict=True))
    }
    moves = StatusChange.objects.filter(
        Q(to_status=ReferenceStatus.RESTING) | Q(from_status=ReferenceStatus.RESTING),
        contact__isnull=False,
        changed_at__gte=since[0],
    )
    return _sql(moves.values(who=F("contact")).annotate(**deltas))


def _unfiltered_statement(segment: Segment) -> tuple[str, tuple]:
    """Unfiltered, every contact is the segment's: the counts are summed over their own rows (the
    balance over the range's asked and given, the rest over the program's contacts, `member`)
    rather than joined to all 305,000 contacts (measured slower). Same rows as `_statement`."""
    activities, in_flight, given = rows_between(segment.start, segment.end)
    done, done_params = _sql(activities.values(who=F("contact")).annotate(n=Count("*"), seg=Count("*")))
    members = Contact.objects.filter(status__in=PROGRAM_STATUSES).values(
        "status", who=F("pk"), promoter=Case(When(never_asked_promoter(), then=Value(1)), default=Value(0))
    )
    members, member_params = _sql(members)
    flight, flight_params = _per_contact(in_flight.values(who=F("chosen_contact")))
    thanks, thanks_params = _per_contact(given.values(who=F("contact")))
    held = ContactUsage.objects.filter(state__in=(UsageState.LIMITED, UsageState.NEAR))
    verdicts, verdict_params = _sql(held.values("state", who=F("contact")))
    usable = ", ".join(["%s"] * len(USABLE_STATUSES))
    per = (
        "SELECT COALESCE(done.n, 0) + COALESCE(flight.n, 0) AS asks, COALESCE(thanks.n, 0) AS given "
        f"FROM done FULL JOIN {flight} flight ON flight.who = done.who "
        f"FULL JOIN {thanks} thanks ON thanks.who = COALESCE(done.who, flight.who)"
    )
    sql = (
        f"WITH done AS ({done}), member AS ({members}) "
        f"SELECT {_SPREAD}, done.seg, COUNT(*), 0, 0, 0, 0, 0, 0, 0 FROM done GROUP BY done.seg "
        f"UNION ALL SELECT {_TOTALS}, idle.n, bal.asks, bal.given, bal.unthanked, refs.n, refs.limited, "
        "refs.near, other.resting, other.promoters FROM (SELECT COUNT(*) AS n FROM member "
        "WHERE NOT EXISTS (SELECT 1 FROM done WHERE done.who = member.who)) idle, "
        "(SELECT COALESCE(SUM(per.asks), 0) AS asks, COALESCE(SUM(per.given), 0) AS given, "
        "COALESCE(SUM(CASE WHEN per.asks >= %s AND per.given = 0 THEN 1 ELSE 0 END), 0) AS unthanked "
        f"FROM ({per}) per) bal, (SELECT COUNT(*) AS n, "
        "COALESCE(SUM(CASE WHEN held.state = %s THEN 1 ELSE 0 END), 0) AS limited, "
        "COALESCE(SUM(CASE WHEN held.state = %s THEN 1 ELSE 0 END), 0) AS near "
        f"FROM member LEFT JOIN ({verdicts}) held ON held.who = member.who "
        f"WHERE member.status IN ({usable})) refs, "
        "(SELECT COALESCE(SUM(CASE WHEN member.status = %s THEN 1 ELSE 0 END), 0) AS resting, "
        "COALESCE(SUM(member.promoter), 0) AS promoters FROM member) other"
    )
    params = (
        *done_params,
        *member_params,
        UNTHANKED_ASKS,
        *flight_params,
        *thanks_params,
        UsageState.LIMITED,
        UsageState.NEAR,
        *verdict_params,
        *USABLE_STATUSES,
        ReferenceStatus.RESTING,
    )
    return sql, params


def _statement(segment: Segment, since: list[datetime] | None = None) -> tuple[str, tuple]:
    """The spread's rows (kind _SPREAD) and one row of totals (kind _TOTALS): each of the
    segment's contacts read once, its range's counts (activities, requests in flight, give-back)
    and the limits job's verdict joined to it by contact (hash joins, no row per contact
    carried twice)."""
    activities, in_flight, given = rows_between(segment.start, segment.end)
    of_segment = _of_segment(segment)
    # COUNT(contact_id), never NULL, rather than COUNT(id): the activity_contact_day index holds
    # every column read, so the range is read from the index alone.
    counted = activities.values(who=F("contact")).annotate(
        n=Count("*"), seg=Count("contact", filter=of_segment) if of_segment else Count("*")
    )
    done, done_params = _sql(counted)
    members, member_params = _members_sql(segment)
    flight, flight_params = _per_contact(in_flight.values(who=F("chosen_contact")))
    thanks, thanks_params = _per_contact(given.values(who=F("contact")))
    held = ContactUsage.objects.filter(state__in=(UsageState.LIMITED, UsageState.NEAR))
    verdicts, verdict_params = _sql(held.values("state", who=F("contact")))
    program, usable = (", ".join(["%s"] * len(statuses)) for statuses in (PROGRAM_STATUSES, USABLE_STATUSES))
    asks = "COALESCE(done.n, 0) + COALESCE(flight.n, 0)"
    given_back = "COALESCE(thanks.n, 0)"

    def total(condition: str, value: str = "1") -> str:
        return f"COALESCE(SUM(CASE WHEN {condition} THEN {value} ELSE 0 END), 0)"

    moves, move_params = _moves_sql(since) if since else ("", ())
    periods = len(since) if since else 0
    moved = "".join(f", COALESCE(SUM(moves.d{index}), 0)" for index in range(periods))
    moves_join = f"LEFT JOIN ({moves}) moves ON moves.who = member.who " if since else ""

    # Narrowed to some accounts, the segment's members are few and `done` is shared (a CTE).
    # Otherwise (every account: an activity type's willing, most contacts) it is written out
    # twice: inline, the planner reads it in contact order from its index and merge-joins it to
    # the members read in the same order from theirs, where a CTE's rows come unordered and were
    # hashed with the 260,000 members, spilling to disk (bench/insights.py: 0.87 s → 0.65 s).
    inline = not account_filter(segment)
    source = f"({done}) done" if inline else "done"
    sql = (
        ("" if inline else f"WITH done AS ({done}) ")
        + f"SELECT {_SPREAD}, done.seg, COUNT(*){', 0' * (7 + periods)} FROM {source} WHERE done.seg > 0 "
        f"GROUP BY done.seg UNION ALL SELECT {_TOTALS}, "
        f"{total(f'member.status IN ({program}) AND COALESCE(done.seg, 0) = 0')}, "
        f"COALESCE(SUM({asks}), 0), COALESCE(SUM({given_back}), 0), "
        f"{total(f'{asks} >= %s AND {given_back} = 0')}, "
        f"{total(f'member.status IN ({usable})')}, "
        f"{total(f'member.status IN ({usable}) AND held.state = %s')}, "
        f"{total(f'member.status IN ({usable}) AND held.state = %s')}, "
        f"{total('member.status = %s')}, {total('done.who IS NULL', 'member.promoter')}{moved} "
        f"FROM ({members}) member LEFT JOIN {source} ON done.who = member.who "
        f"LEFT JOIN {flight} flight ON flight.who = member.who "
        f"LEFT JOIN {thanks} thanks ON thanks.who = member.who "
        f"{moves_join}LEFT JOIN ({verdicts}) held ON held.who = member.who"
    )
    params = (
        *done_params,
        *PROGRAM_STATUSES,
        UNTHANKED_ASKS,
        *USABLE_STATUSES,
        *USABLE_STATUSES,
        UsageState.LIMITED,
        *USABLE_STATUSES,
        UsageState.NEAR,
        ReferenceStatus.RESTING,
        *member_params,
        *(done_params if inline else ()),
        *flight_params,
        *thanks_params,
        *move_params,
        *verdict_params,
    )
    return sql, params


@dataclass(frozen=True)
class UsageCounts:
    spread: Spread
    balance: dict  # {"asks", "given", "unthanked"}: as `utilization.asks_and_give_back`
    limits: dict  # {"references", "limited", "near"}: as `utilization.limit_shares`
    resting: int  # the segment's contacts resting now
    promoters: int  # never asked (`never_asked_promoter`)
    # The resting moves (into less out of) per period since each of `since`'s moments, when given
    # and the segment filtered (None otherwise: `utilization.resting_now_and_series` counts them).
    moves: dict[int, int] | None = None


def usage_counts(segment: Segment, since: list[datetime] | None = None) -> UsageCounts:
    """The utilization page's counts, and the resting series' moves per period when `since` gives
    the periods' first moments (`utilization.resting_now_and_series`). One query."""
    since = since if segment.filtered else None  # unfiltered, the moves are their own query
    statement = _statement(segment, since) if segment.filtered else _unfiltered_statement(segment)
    spread, totals = {}, (0,) * (9 + len(since or ()))
    for kind, *values in _fetch(*statement):
        if kind == _SPREAD:
            spread[int(values[0])] = int(values[1])
        else:
            totals = tuple(int(value) for value in values)
    idle, asks, given, unthanked, references, limited, near, resting, promoters, *moves = totals
    return UsageCounts(
        spread=Spread(spread, idle + sum(spread.values())),
        balance={"asks": asks, "given": given, "unthanked": unthanked},
        limits={"references": references, "limited": limited, "near": near},
        resting=resting,
        promoters=promoters,
        moves=dict(enumerate(moves)) if since else None,
    )

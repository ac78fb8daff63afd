"""Utilization: who is being worn out, who is never asked. Each figure is one or two aggregate
queries over the segment (`insights.segments`); only a handful of grouped rows reach Python. The
page reads all, the resting series' moves too, from one statement (`insights.usage_counts`); the
functions here say what each figure counts, and the drill-down lists use them.

- **Activities per reference**: the segment's activities in the range (`activity_filter`, by the
  day they occurred) counted per contact, then the contacts counted per count (1, 2, 3, 4, 5+).
  An *active reference* is a contact with at least one such activity; the mean is over them.
- **At or near a limit**: *now*, not over the range — the limits job's stored verdict
  (`limits.models.ContactUsage.state`) for references (`USABLE_STATUSES`) of the segment.
- **Resting over time**: the contacts resting at the end of each month of the range (each quarter
  past 24 months), rebuilt backwards from today's count through the contacts' `StatusChange` rows.
- **Concentration**: the share of the range's activities done by the top 5 references and by the
  top 10% (rounded up) of the pool — the contacts in the program (`PROGRAM_STATUSES`) plus anyone
  who did an activity in the range; ranked by activities, ties broken by contact id (the lists
  rank by ROW_NUMBER in SQL; the sums come from the spread of counts, which ties do not change).
- **Promoters never asked**: active contacts at accounts with an NPS of 9 or 10 never chosen for a
  request and without any activity, ever.
- **Asks against give-back**: `customers.giveback`'s asks (activities, plus requests that reached
  the contact without one yet) and give-back in the range, for the segment's contacts.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from insights.segments import Segment, activity_filter, contact_filter, program_zone
from insights.usage_counts import (
    PROGRAM_STATUSES,
    UNTHANKED_ASKS,
    Histogram,
    Spread,
    balance_rows_sql,
    never_asked_promoter,
    usage_counts,
)
from limits.models import UsageState
from references.models import Contact, ReferenceActivity, StatusChange
from references.statuses import USABLE_STATUSES, ReferenceStatus

TOP_REFERENCES = 5
TOP_PERCENT = 10
MOST_POINTS = 24


def range_activities(segment: Segment) -> QuerySet[ReferenceActivity]:
    """The segment's activities that occurred in the range."""
    return ReferenceActivity.objects.filter(
        activity_filter(segment), occurred_on__range=(segment.start, segment.end)
    ).order_by()


def _per_contact_sql(segment: Segment) -> tuple[str, tuple]:
    """SQL for (who, n): each contact's id and activities in the range, contacts with one or more
    (both columns named here, so the SQL around it does not depend on Django's aliases)."""
    per_contact = range_activities(segment).values(who=F("contact")).annotate(n=Count("*"))
    return per_contact.query.sql_with_params()


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- activities per reference ---------------------------------------------------------------


def activity_spread(segment: Segment) -> Spread:
    """The histogram's and concentration's counts (`usage_counts`: one query)."""
    return usage_counts(segment).spread


def activity_histogram(segment: Segment) -> Histogram:
    """Contacts by their number of activities in the range (1, 2, 3, 4, 5+): one query."""
    return activity_spread(segment).histogram()


# --- limits, now ----------------------------------------------------------------------------


def references_now(segment: Segment) -> QuerySet[Contact]:
    """The segment's references (contacts in USABLE_STATUSES), today."""
    return Contact.objects.filter(contact_filter(segment), status__in=USABLE_STATUSES)


def limit_shares(segment: Segment) -> dict:
    """{"references", "limited", "near"}: today's references and those the limits job holds at a
    limit or near one. One query."""
    return references_now(segment).aggregate(
        references=Count("pk"),
        limited=Count("pk", filter=Q(usage__state=UsageState.LIMITED)),
        near=Count("pk", filter=Q(usage__state=UsageState.NEAR)),
    )


# --- resting over time ----------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    label: str
    day: date  # the count is the one at the end of this day
    resting: int


def _month_end(year: int, month: int) -> date:
    year, month = divmod(year * 12 + month, 12)  # the month after, 0-based
    return date(year, month + 1, 1) - timedelta(days=1)


def period_ends(segment: Segment, today: date) -> list[tuple[str, date]]:
    """(label, last day) of each month of the range, or each quarter past MOST_POINTS months; the
    last day clipped to the range's end and to today (a period not begun by today has none)."""
    first, last = (
        segment.start.year * 12 + segment.start.month - 1,
        segment.end.year * 12 + segment.end.month - 1,
    )
    by_quarter = last - first + 1 > MOST_POINTS
    ends = []
    for index in range(first, last + 1):
        year, month = divmod(index, 12)
        month += 1
        if by_quarter and month % 3 and index != last:
            continue
        begins = date(year, month - (month - 1) % 3 if by_quarter else month, 1)
        if max(begins, segment.start) > today:
            break
        label = f"Q{(month - 1) // 3 + 1} {year}" if by_quarter else begins.strftime("%b %Y")
        ends.append((label, min(_month_end(year, month), segment.end, today)))
    return ends


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=program_zone())


def resting_now(segment: Segment) -> QuerySet[Contact]:
    return Contact.objects.filter(contact_filter(segment), status=ReferenceStatus.RESTING)


def resting_series(segment: Segment, today: date | None = None) -> list[Point]:
    """The segment's resting contacts at the end of each period (see `resting_now_and_series`)."""
    return resting_now_and_series(segment, today)[1]


def resting_since(segment: Segment, today: date | None = None) -> list[datetime]:
    """The first moment of each period's moves: the end of each period's last day
    (`period_ends`); moves from one to the next change the count between the two points."""
    return [_end_of(day) for _label, day in period_ends(segment, today or timezone.localdate())]


def resting_now_and_series(
    segment: Segment, today: date | None = None, now: int | None = None, moves: dict | None = None
) -> tuple[int, list[Point]]:
    """Today's resting count, and the count at the end of each period: today's, less the moves into
    resting since, plus the moves out of it. Two queries (today's count, unless given as `now`;
    the moves per period, unless given as `moves`: `usage_counts`'s over `resting_since`)."""
    today = today or timezone.localdate()
    count = resting_now(segment).count() if now is None else now
    ends = period_ends(segment, today)
    if not ends:
        return count, []
    delta = _resting_moves(segment, resting_since(segment, today)) if moves is None else moves
    now = count
    points = []
    for index in range(len(ends) - 1, -1, -1):
        count -= delta.get(index) or 0  # undo the moves after this point (one period: a NULL row)
        label, day = ends[index]
        points.append(Point(label, day, count))
    return now, points[::-1]


def _resting_moves(segment: Segment, boundaries: list[datetime]) -> dict[int, int]:
    """{period: moves into resting less those out of it} of the segment's contacts: moves in
    [boundary i, boundary i+1) fall in period i; the last one runs on to now."""
    period = Case(
        *(When(changed_at__lt=boundary, then=Value(index)) for index, boundary in enumerate(boundaries[1:])),
        default=Value(len(boundaries) - 1),
        output_field=IntegerField(),
    )
    into = Case(When(to_status=ReferenceStatus.RESTING, then=Value(1)), default=Value(0))
    out_of = Case(When(from_status=ReferenceStatus.RESTING, then=Value(1)), default=Value(0))
    moves = (
        StatusChange.objects.filter(
            contact_filter(segment, "contact"), contact__isnull=False, changed_at__gte=boundaries[0]
        )
        .filter(Q(to_status=ReferenceStatus.RESTING) | Q(from_status=ReferenceStatus.RESTING))
        .order_by()
        .annotate(period=period)
        .values("period")
        .annotate(delta=Sum(into) - Sum(out_of))
    )
    return {row["period"]: row["delta"] for row in moves}


# --- concentration --------------------------------------------------------------------------


def program_pool(segment: Segment) -> QuerySet[Contact]:
    """Concentration's pool: the segment's contacts in the program, and whoever did an activity
    (`activity_spread` counts the same contacts)."""
    in_program = Q(contact_filter(segment), status__in=PROGRAM_STATUSES)
    # Filtered, the few members are found first (and a preferences join would repeat contacts);
    # unfiltered, the status is read on the row itself instead of hashing 200,000 ids.
    if segment.filtered:
        in_program = Q(pk__in=Contact.objects.filter(in_program).values("pk"))
    # EXISTS, not `pk__in`: the range's hundreds of thousands of contact ids outgrow the memory
    # of a hashed subplan, and PostgreSQL would rescan them for every contact.
    did_one = range_activities(segment).filter(contact=OuterRef("pk"))
    return Contact.objects.filter(in_program | Exists(did_one))


def top_share_size(pool: int) -> int:
    """The top 10% of a pool, rounded up."""
    return -(-pool * TOP_PERCENT // 100)  # integer ceiling: no float rounding at 30 × 0.1


def _ranked_sql(segment: Segment) -> tuple[str, tuple]:
    """SQL for (who, n, place): the per-contact counts ranked, most first, ties by id."""
    inner, params = _per_contact_sql(segment)
    sql = (
        f"SELECT per.who, per.n, ROW_NUMBER() OVER (ORDER BY per.n DESC, per.who) AS place FROM ({inner}) per"
    )
    return sql, params


@dataclass(frozen=True)
class Concentration:
    pool: int
    activities: int
    top_five: int  # activities done by the top 5
    top_share_size: int  # how many the top 10% is
    top_share: int  # activities done by them


def concentration(segment: Segment, spread: Spread | None = None) -> Concentration:
    """The pool, its activities and the top's share, from `activity_spread` (one query, none
    when the page has the spread already)."""
    spread = spread or activity_spread(segment)
    size = top_share_size(spread.pool)
    total = spread.top_sum(spread.pool)
    return Concentration(spread.pool, total, spread.top_sum(TOP_REFERENCES), size, spread.top_sum(size))


def top_contact_ids(segment: Segment, size: int) -> RawSQL:
    """The ids of the `size` contacts with the most activities in the range (a subquery)."""
    ranked, params = _ranked_sql(segment)
    return RawSQL(f"SELECT ranked.who FROM ({ranked}) ranked WHERE ranked.place <= %s", (*params, size))


# --- promoters never asked ------------------------------------------------------------------


def promoters_never_asked(segment: Segment) -> QuerySet[Contact]:
    """Active contacts at accounts with an NPS of 9 or more, never chosen for a request and
    without an activity, ever."""
    return Contact.objects.filter(contact_filter(segment), never_asked_promoter())


# --- asks against give-back -----------------------------------------------------------------


def unthanked(segment: Segment) -> QuerySet[Contact]:
    """The segment's contacts asked UNTHANKED_ASKS times or more in the range and given nothing
    back there."""
    rows, params = balance_rows_sql(segment)
    ids = RawSQL(
        f"SELECT per.who FROM ({rows}) per WHERE per.asks >= %s AND per.given = 0", (*params, UNTHANKED_ASKS)
    )
    return Contact.objects.filter(contact_filter(segment), pk__in=ids)


def asks_and_give_back(segment: Segment) -> dict:
    """{"asks", "given", "unthanked"}: the range's asks and give-back, and the contacts asked
    UNTHANKED_ASKS+ times with nothing given (`usage_counts`: one query)."""
    return usage_counts(segment).balance

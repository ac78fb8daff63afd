"""Utilization: who is being worn out, who is never asked. Each figure is one or two aggregate
queries over the segment (`insights.segments`); only a handful of grouped rows reach Python.

- **Activities per reference**: the segment's activities in the range (`activity_filter`, by the
  day they occurred) counted per contact, then the contacts counted per count (1, 2, 3, 4, 5+).
  An *active reference* is a contact with at least one such activity; the mean is over them.
- **At or near a limit**: *now*, not over the range — the limits job's stored verdict
  (`limits.models.ContactUsage.state`) for references (`USABLE_STATUSES`) of the segment.
- **Resting over time**: the contacts resting at the end of each month of the range (each quarter
  past 24 months), rebuilt backwards from today's count through the contacts' `StatusChange` rows.
- **Concentration**: the share of the range's activities done by the top 5 references and by the
  top 10% (rounded up) of the pool — the contacts in the program (`PROGRAM_STATUSES`) plus anyone
  who did an activity in the range; ranked by ROW_NUMBER in SQL, ties broken by contact id.
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

from customers.giveback import rows_between
from insights.segments import Segment, activity_filter, contact_filter, program_zone
from limits.models import UsageState
from references.models import Contact, ReferenceActivity, StatusChange
from references.statuses import USABLE_STATUSES, ReferenceStatus
from requests_app.models import ReferenceRequest

# The histogram's last bar counts everyone with this many activities or more.
HISTOGRAM_TOP = 5
TOP_REFERENCES = 5
TOP_PERCENT = 10
PROMOTER_NPS = 9
# "Asked a lot, given nothing": at least this many asks in the range and no give-back.
UNTHANKED_ASKS = 3
MOST_POINTS = 24
# The contacts a program runs on: concentration's pool (with whoever did an activity).
PROGRAM_STATUSES = (
    ReferenceStatus.ACTIVE,
    ReferenceStatus.RESTING,
    ReferenceStatus.PAUSED,
    ReferenceStatus.AT_RISK,
)


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


def activity_spread(segment: Segment) -> Spread:
    """The histogram's and concentration's counts in one query: each contact's activities in the
    range counted once (a CTE), then the contacts counted per number of activities (a few dozen
    rows), and the program's contacts with none, who complete the pool (the row numbered 0)."""
    per, params = _per_contact_sql(segment)
    in_program = Contact.objects.filter(contact_filter(segment), status__in=PROGRAM_STATUSES)
    members, member_params = in_program.order_by().values(who=F("pk")).query.sql_with_params()
    sql = (
        f"WITH per AS ({per}) SELECT per.n, COUNT(*) FROM per GROUP BY per.n UNION ALL "
        f"SELECT 0, COUNT(*) FROM ({members}) member "
        "WHERE NOT EXISTS (SELECT 1 FROM per WHERE per.who = member.who)"
    )
    counts = {int(n): int(contacts) for n, contacts in _fetch(sql, (*params, *member_params))}
    idle = counts.pop(0, 0)
    return Spread(counts, pool=idle + sum(counts.values()))


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


def resting_now_and_series(segment: Segment, today: date | None = None) -> tuple[int, list[Point]]:
    """Today's resting count, and the count at the end of each period: today's, less the moves into
    resting since, plus the moves out of it. Two queries (today's count, the moves per period)."""
    today = today or timezone.localdate()
    count = resting_now(segment).count()
    ends = period_ends(segment, today)
    if not ends:
        return count, []
    boundaries = [_end_of(day) for _label, day in ends]
    # Moves in [boundary i, boundary i+1) fall in period i; the last one runs on to now.
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
    delta = {row["period"]: row["delta"] for row in moves}
    now = count
    points = []
    for index in range(len(ends) - 1, -1, -1):
        count -= delta.get(index) or 0  # undo the moves after this point (one period: a NULL row)
        label, day = ends[index]
        points.append(Point(label, day, count))
    return now, points[::-1]


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
    chosen = ReferenceRequest.objects.filter(chosen_contact=OuterRef("pk"))
    done = ReferenceActivity.objects.filter(contact=OuterRef("pk"))
    return Contact.objects.filter(
        contact_filter(segment),
        ~Exists(chosen),
        ~Exists(done),
        status=ReferenceStatus.ACTIVE,
        account__nps__gte=PROMOTER_NPS,
    )


# --- asks against give-back -----------------------------------------------------------------


def _balance_rows_sql(segment: Segment) -> tuple[str, tuple]:
    """SQL for (who, asks, given): `customers.giveback`'s counts in the range for each of the
    segment's contacts asked or given to there. The three kinds of rows are counted per contact
    first (each from its own index), then joined on the contact: no correlated count per contact."""
    # Unfiltered, every contact is the segment's (each row's contact is a foreign key).
    where, contact_params = "part.who IS NOT NULL", ()
    if segment.filtered:
        in_segment = Contact.objects.filter(contact_filter(segment)).order_by().values("pk")
        contacts, contact_params = in_segment.query.sql_with_params()
        where = f"part.who IN ({contacts})"
    activities, in_flight, given = rows_between(segment.start, segment.end)
    grouped, params = [], []
    for rows in (
        activities.values(who=F("contact")),
        in_flight.values(who=F("chosen_contact")),
        given.values(who=F("contact")),
    ):
        inner, inner_params = rows.order_by().query.sql_with_params()
        grouped.append(
            f"(SELECT part.who, COUNT(*) AS n FROM ({inner}) part WHERE {where} GROUP BY part.who)"
        )
        params.extend((*inner_params, *contact_params))
    done, flight, thanks = grouped
    sql = (
        "SELECT COALESCE(done.who, flight.who, thanks.who) AS who, "
        "COALESCE(done.n, 0) + COALESCE(flight.n, 0) AS asks, COALESCE(thanks.n, 0) AS given "
        f"FROM {done} done FULL JOIN {flight} flight ON flight.who = done.who "
        f"FULL JOIN {thanks} thanks ON thanks.who = COALESCE(done.who, flight.who)"
    )
    return sql, tuple(params)


def unthanked(segment: Segment) -> QuerySet[Contact]:
    """Contacts asked UNTHANKED_ASKS times or more in the range and given nothing back there."""
    rows, params = _balance_rows_sql(segment)
    ids = RawSQL(
        f"SELECT per.who FROM ({rows}) per WHERE per.asks >= %s AND per.given = 0", (*params, UNTHANKED_ASKS)
    )
    return Contact.objects.filter(pk__in=ids)


def asks_and_give_back(segment: Segment) -> dict:
    """{"asks", "given", "unthanked"}: the range's asks and give-back, and the contacts asked
    UNTHANKED_ASKS+ times with nothing given. One query."""
    rows, params = _balance_rows_sql(segment)
    sql = (
        "SELECT COALESCE(SUM(per.asks), 0), COALESCE(SUM(per.given), 0), "
        "COALESCE(SUM(CASE WHEN per.asks >= %s AND per.given = 0 THEN 1 ELSE 0 END), 0) "
        f"FROM ({rows}) per"
    )
    asks, given, unthanked_count = _fetch(sql, (UNTHANKED_ASKS, *params))[0]
    return {"asks": int(asks), "given": int(given), "unthanked": int(unthanked_count)}

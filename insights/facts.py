"""The revenue figures' facts: `DealFact` and `InfluenceFact` (insights.models), rebuilt whole from
the live definition of "influenced" (`live_influenced` below) by `refresh()`, which beat runs every
few minutes (`insights.refresh_facts`).

Why a snapshot: at 100,000 accounts a year of won deals has 385,000 activity links, and each view
re-deriving which of them came on or before their deal's close date took seconds
(bench/insights.py). The refresh pays that once, in a few INSERT … SELECT statements; a page then
sums at most one row per deal (or per deal and type, deal and reference) and says "as of" the
refresh. Readers never see a half-built snapshot: the rebuild is one transaction.
"""

import logging
import time
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from insights.models import DealFact, FactsRefresh, InfluenceFact
from insights.segments import Segment, deal_filter, program_zone
from marketing.models import AssetUse
from references.currency import amount_in_usd
from references.models import DealOutcome, Opportunity, ReferenceActivity

ZERO = Decimal(0)
DealLink = ReferenceActivity.opportunities.through
EVERYTHING = Segment(date.min, date.max)
logger = logging.getLogger(__name__)

# Only one rebuild at a time (PostgreSQL advisory lock key; SQLite serializes writers anyway).
REFRESH_LOCK = 180_418


# --- the live definition ------------------------------------------------------------------------


def influencing_activities(segment: Segment):
    """Activities for the deal at OuterRef("pk") on or before its close date (OuterRef)."""
    activities = ReferenceActivity.objects.filter(
        opportunities=OuterRef("pk"), occurred_on__lte=OuterRef("close_date")
    )
    if segment.activity_type is not None:
        activities = activities.filter(activity_type_id=segment.activity_type)
    return activities


def influencing_uses():
    """Content uses for the deal at OuterRef("pk") on or before its close date (the day of the use
    in the program's zone, not the reader's)."""
    return AssetUse.objects.annotate(used_on=TruncDate("used_at", tzinfo=program_zone())).filter(
        opportunity=OuterRef("pk"), used_on__lte=OuterRef("close_date")
    )


def live_influenced(segment: Segment) -> Q:
    """Opportunities influenced now, read from the links and uses themselves (what a refresh
    writes down): a reference activity (of the segment's type) or, without a type, a content use
    for the deal on or before its close date. Several activities on one deal count it once."""
    q = Q(Exists(influencing_activities(segment)))
    if segment.activity_type is None:
        q |= Q(Exists(influencing_uses()))
    return q


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (two dates), as an integer on both databases."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def cycle_days() -> Case:
    """A deal's sales cycle: from its opening in the CRM (else the day RMS saw it) to its close;
    unknown (NULL, left out of the median and mean) for a deal RMS first saw after it had closed
    with no opening date from the CRM (an imported history), whose cycle would read negative."""
    start = Coalesce("opened_on", TruncDate("created_at", tzinfo=program_zone()))
    return Case(
        When(GreaterThan(start, F("close_date")), then=Value(None)),
        default=DaysBetween(F("close_date"), start),
        output_field=IntegerField(),
    )


def _insert_select(
    model, columns: dict[str, object], rows: QuerySet, firsts: dict[str, tuple[str, str]] | None = None
) -> int:
    """INSERT INTO model's table (the `columns`' fields) the SELECT of `rows` annotated with them,
    in that order: one statement, compiled by Django for the database at hand. Each of `firsts`
    (field: (column, column)) is true on one row of each group of equal values of the two columns
    (a window's first row), so the rows are written once, never updated after."""
    firsts = firsts or {}
    aliases = {f"fact_{name}": expression for name, expression in columns.items()}
    select = rows.annotate(**aliases).values_list(*aliases).order_by()
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in [*columns, *firsts])
    picked = [f"picked.{quote(alias)}" for alias in aliases]
    for first, second in firsts.values():
        group = ", ".join(f"picked.{quote('fact_' + name)}" for name in (first, second))
        picked.append(f"(ROW_NUMBER() OVER (PARTITION BY {group}) = 1)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({names}) SELECT {', '.join(picked)} FROM ({sql}) picked",
            params,
        )
        return cursor.rowcount


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])


def refresh(after: datetime | None = None) -> FactsRefresh:
    """Rebuild both fact tables from the links, uses and deals as they are now (one transaction).
    With `after` (a manager asked for it then): nothing, when a rebuild began at or after that
    moment — two managers asking at once get one rebuild (read under the lock, so exact)."""
    started = time.monotonic()
    with transaction.atomic():
        _lock()
        latest = as_of() if after is not None else None
        if latest is not None and latest.refreshed_at >= after:
            return latest
        refreshed_at = timezone.now()
        InfluenceFact.objects.all().delete()
        DealFact.objects.all().delete()
        closed = Opportunity.objects.filter(outcome__in=(DealOutcome.WON, DealOutcome.LOST))
        deals = _insert_select(
            DealFact,
            {
                "deal": F("pk"),
                "close_date": F("close_date"),
                "is_won": ExpressionWrapper(Q(outcome=DealOutcome.WON), output_field=BooleanField()),
                "usd": amount_in_usd(),
                "by_activity": Exists(influencing_activities(EVERYTHING)),  # any type
                "by_content": Exists(influencing_uses()),
                "cycle_days": cycle_days(),
            },
            closed,
        )
        links = DealLink.objects.filter(
            opportunity__insight_fact__isnull=False,
            referenceactivity__occurred_on__lte=F("opportunity__close_date"),
        ).distinct()
        influences = _insert_select(
            InfluenceFact,
            {
                "deal": F("opportunity_id"),
                "activity_type": F("referenceactivity__activity_type_id"),
                "contact": F("referenceactivity__contact_id"),
                "close_date": F("opportunity__insight_fact__close_date"),
                "is_won": F("opportunity__insight_fact__is_won"),
                "usd": F("opportunity__insight_fact__usd"),
            },
            links,
            firsts={"first_of_type": ("deal", "activity_type"), "first_of_contact": ("deal", "contact")},
        )
        took_ms = int((time.monotonic() - started) * 1000)
        record = FactsRefresh.objects.create(
            refreshed_at=refreshed_at, deals=deals, influences=influences, took_ms=took_ms
        )
        FactsRefresh.objects.exclude(pk=record.pk).delete()
    _tidy()
    return record


def _tidy() -> None:
    """After a rebuild, on PostgreSQL: reclaim the replaced rows and renew the planner's statistics
    (the tables were just rewritten whole; stale counts and dead index entries gave plans ten times
    slower, bench/insights.py). VACUUM cannot run in a transaction: a caller's (a test's) skips it."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (DealFact, InfluenceFact):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")


def as_of() -> FactsRefresh | None:
    """The facts' last rebuild (None before the first)."""
    return FactsRefresh.objects.order_by("-refreshed_at").first()


def refresh_if_stale() -> FactsRefresh:
    """Beat's job: rebuild unless the last rebuild is younger than half beat's interval (a
    rebuild ran on demand, or a second beat entry raced this one)."""
    latest = as_of()
    age = (timezone.now() - latest.refreshed_at).total_seconds() if latest else None
    if age is not None and 0 <= age < settings.INSIGHT_FACTS_SECONDS / 2:
        return latest
    return refresh()


def refresh_soon() -> bool:
    """A manager's "recompute now": the worker rebuilds, unless a rebuild begins before it gets
    to it (`refresh(after=…)`). False when the broker cannot take the message."""
    from insights import tasks  # the tasks call this module

    try:
        tasks.refresh_facts_now.delay(timezone.now().isoformat())
    except Exception:  # the broker is down: the caller says so rather than pretend
        logger.exception("The revenue facts' rebuild could not be queued")
        return False
    return True


# --- reading them -------------------------------------------------------------------------------


def closed_facts(segment: Segment) -> QuerySet[DealFact]:
    """The facts of the segment's deals won or lost with a close date in the range."""
    return DealFact.objects.filter(
        deal_filter(segment, "deal"), close_date__range=(segment.start, segment.end)
    )


def influenced(segment: Segment, path: str = "") -> Q:
    """Facts (DealFact rows, or at relation `path` of another model) of influenced deals: by any
    activity or a content use; with an activity type, by an activity of that type."""
    p = f"{path}__" if path else ""
    if segment.activity_type is None:
        return Q(**{f"{p}by_activity": True}) | Q(**{f"{p}by_content": True})
    return Q(Exists(influences_of(segment, OuterRef(f"{p}deal"))))


def influences_of(segment: Segment, deal) -> QuerySet[InfluenceFact]:
    """The influences of `deal` (an id or an OuterRef), of the segment's activity type if any."""
    rows = InfluenceFact.objects.filter(deal=deal)
    if segment.activity_type is not None:
        rows = rows.filter(activity_type_id=segment.activity_type)
    return rows


def influence_facts(segment: Segment) -> QuerySet[InfluenceFact]:
    """The influences of the segment's won deals closed in the range (of the chosen type)."""
    rows = InfluenceFact.objects.filter(
        deal_filter(segment, "deal"), is_won=True, close_date__range=(segment.start, segment.end)
    )
    if segment.activity_type is not None:
        rows = rows.filter(activity_type_id=segment.activity_type)
    return rows


def usd_sums() -> dict:
    """The aggregates {"usd", "deals", "unconverted"} of rows with a `usd` column (NULL: no rate).
    "usd" comes last: each aggregate reads the column before an alias of that name exists."""
    return {
        "deals": Count("usd"),
        "unconverted": Count("*") - Count("usd"),  # "*", not the id: the indexes below cover the rest
        "usd": Coalesce(Sum("usd"), Value(ZERO)),
    }

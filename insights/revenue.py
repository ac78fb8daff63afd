"""What the reference program did for revenue, each figure one aggregate query.

- The headline: influenced revenue, its deals and the deals left out for want of a currency rate
  (insights.measures.influenced_revenue, the same number goals and the digest read).
- Per activity type: the won deals a reference activity of that type influenced (on or before the
  close date). A deal influenced by two types is in both rows, so the rows overlap; the total
  counts it once. Content uses are a row of their own unless an activity type is chosen.
- Top references: per contact, the won deals their activities influenced; a deal two references
  served counts for each.
- Win rate and sales cycle of the closed deals (won and lost) with references against without.
- Influenced revenue per close month.

Several activities (or activities and content uses) on one deal count the deal once in every
row: each row sums deals, never activities. Per type and per reference, the links are first
reduced to distinct (deal, type) or (deal, contact) pairs, summed per currency, and only those
sums are converted to US dollars (one statement each, no per-link subquery).
"""

from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import GreaterThan

from insights.aggregates import Percentile
from insights.measures import (
    closed_deals,
    influenced,
    influenced_revenue,
    influenced_won_deals,
    influencing_activities,
    influencing_uses,
)
from insights.segments import Segment, deal_filter, program_zone
from references.currency import BASE_CURRENCY, amount_in_usd, total_in_usd, totals_in_usd
from references.models import Account, ActivityType, Contact, CurrencyRate, DealOutcome, ReferenceActivity

ZERO = Decimal(0)
TOP_REFERENCES = 10
DealLink = ReferenceActivity.opportunities.through


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


def summary(segment: Segment) -> dict:
    """{"usd", "deals", "unconverted"} of the influenced won deals (insights.measures)."""
    return influenced_revenue(segment)


def _influencing_links(segment: Segment) -> QuerySet:
    """Links (activity, deal) where the activity happened on or before the deal's close date and
    the deal is won, closed in the range and in the segment (and of the chosen activity type)."""
    links = DealLink.objects.filter(
        deal_filter(segment, "opportunity"),
        opportunity__outcome=DealOutcome.WON,
        opportunity__close_date__range=(segment.start, segment.end),
        referenceactivity__occurred_on__lte=F("opportunity__close_date"),
    )
    if segment.activity_type is not None:
        links = links.filter(referenceactivity__activity_type_id=segment.activity_type)
    return links


def _pairs_totals(
    segment: Segment,
    key: str,
    join: str,
    names: str,
    limit: int | None = None,
    per_currency_first: bool = True,
) -> list[dict]:
    """Per `key` (a column of the activity: activity_type_id, contact_id), the won deals its
    influencing links reach, each deal once per key: {"key", "usd", "deals", "unconverted"} and
    the `names` columns of `join` (SQL joining `ranked.key`), largest USD sum first.

    The links are reduced to distinct (deal, key) pairs first, summed per key and currency, and
    only those few sums are divided by the currency's rate (references.currency's rule: a row in
    CurrencyRate, else 1 for US dollars, else no rate) — one statement, no per-link subquery."""
    pairs = (
        _influencing_links(segment)
        .values(
            "opportunity_id",
            key=F(f"referenceactivity__{key}"),
            currency=F("opportunity__currency"),
            amount=F("opportunity__amount"),
        )
        .order_by()
        .distinct()
    )
    pairs_sql, params = pairs.query.sql_with_params()
    if per_currency_first:
        totals_sql = (
            "SELECT pairs.key, pairs.currency, SUM(pairs.amount) AS amount, COUNT(*) AS deals "
            f"FROM ({pairs_sql}) pairs GROUP BY pairs.key, pairs.currency"
        )
    else:  # nearly every pair is its own (key, currency): a grouping there only spills to disk
        totals_sql = f"SELECT pairs.key, pairs.currency, pairs.amount, 1 AS deals FROM ({pairs_sql}) pairs"
    rate = "COALESCE(rate.per_usd, CASE WHEN totals.currency = %s THEN 1 END)"
    sql = f"""
        SELECT ranked.key, ranked.usd, ranked.deals, ranked.unconverted{names} FROM (
            SELECT totals.key AS key,
                   COALESCE(SUM(totals.amount / {rate}), 0) AS usd,
                   SUM(CASE WHEN {rate} IS NULL THEN 0 ELSE totals.deals END) AS deals,
                   SUM(CASE WHEN {rate} IS NULL THEN totals.deals ELSE 0 END) AS unconverted
            FROM ({totals_sql}) totals
            LEFT JOIN {CurrencyRate._meta.db_table} rate ON rate.currency = totals.currency
            GROUP BY totals.key
            ORDER BY usd DESC, deals DESC, key{" LIMIT %s" if limit is not None else ""}
        ) ranked {join}
        ORDER BY ranked.usd DESC, ranked.deals DESC, ranked.key"""
    # The rate's placeholders come first in the statement, the pairs' next, the limit last.
    full_params = [BASE_CURRENCY] * 3 + list(params) + ([limit] if limit is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, full_params)
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["usd"] = row["usd"] if isinstance(row["usd"], Decimal) else Decimal(str(row["usd"]))
        row["deals"], row["unconverted"] = int(row["deals"]), int(row["unconverted"])
    return rows


def by_activity_type(segment: Segment) -> list[dict]:
    """Per activity type: {"activity_type", "name", "usd", "deals", "unconverted"}, largest first."""
    rows = _pairs_totals(
        segment,
        "activity_type_id",
        join=f"JOIN {ActivityType._meta.db_table} kind ON kind.id = ranked.key",
        names=", kind.name AS name",
    )
    rows = [row | {"activity_type": row.pop("key")} for row in rows]
    # The ORM ordered ties by name; keep that.
    return sorted(rows, key=lambda row: (-row["usd"], row["name"]))


def _cycle_days() -> Case:
    """A deal's sales cycle: from its opening in the CRM (else the day RMS saw it) to its close;
    unknown (NULL, left out of the median and mean) for a deal RMS first saw after it had closed
    with no opening date from the CRM (an imported history), whose cycle would read negative."""
    start = Coalesce("opened_on", TruncDate("created_at", tzinfo=program_zone()))
    return Case(
        When(GreaterThan(start, F("close_date")), then=Value(None)),
        default=DaysBetween(F("close_date"), start),
        output_field=IntegerField(),
    )


def content_row(segment: Segment) -> dict | None:
    """The won deals a content asset was used for on or before their close date; None when an
    activity type is chosen (content uses have no type)."""
    if segment.activity_type is not None:
        return None
    deals = closed_deals(segment).filter(Exists(influencing_uses()), outcome=DealOutcome.WON)
    return total_in_usd(deals)


def top_references(segment: Segment, limit: int = TOP_REFERENCES) -> list[dict]:
    """The contacts whose activities influenced the most won revenue: {"contact", "name",
    "account", "usd", "deals", "unconverted"}. A deal served by two references counts for each."""
    rows = _pairs_totals(
        segment,
        "contact_id",
        join=(
            f"JOIN {Contact._meta.db_table} person ON person.id = ranked.key "
            f"JOIN {Account._meta.db_table} company ON company.id = person.account_id"
        ),
        names=", person.first_name, person.last_name, company.name AS account",
        limit=limit,
        per_currency_first=False,
    )
    return [
        row | {"contact": row.pop("key"), "name": f"{row.pop('first_name')} {row.pop('last_name')}"}
        for row in rows
    ]


def win_rates(segment: Segment) -> dict[bool, dict]:
    """Closed deals (won and lost, close date in the range) with references (True) and without
    (False): {"won", "lost", "total", "win_rate" (%, None with no deals), "median_days",
    "mean_days"}. The cycle runs from the deal's opening (the day RMS saw it when the CRM gave
    none) to its close date."""
    rows = (
        closed_deals(segment)
        .annotate(
            with_references=ExpressionWrapper(influenced(segment), output_field=BooleanField()),
            cycle_days=_cycle_days(),
        )
        .values("with_references")
        .annotate(
            won=Count("pk", filter=Q(outcome=DealOutcome.WON)),
            lost=Count("pk", filter=Q(outcome=DealOutcome.LOST)),
            total=Count("pk"),
            median_days=Percentile("cycle_days", 0.5),
            mean_days=Avg("cycle_days"),
        )
        .order_by()
    )
    found = {row.pop("with_references"): row for row in rows}
    empty = {"won": 0, "lost": 0, "total": 0, "median_days": None, "mean_days": None}
    result = {}
    for side in (True, False):
        row = found.get(side, empty)
        rate = 100 * row["won"] / row["total"] if row["total"] else None
        result[side] = row | {"win_rate": rate}
    return result


def by_month(segment: Segment) -> list[dict]:
    """Influenced revenue per close month: {"month" (first day), "usd", "deals", "unconverted"}."""
    deals = influenced_won_deals(segment).annotate(month=TruncMonth("close_date"))
    totals = totals_in_usd(deals, "month")
    return [{"month": month} | totals[(month,)] for (month,) in sorted(totals)]


def rates_updated():
    """When the currency rates were last changed (None when RMS keeps none)."""
    return CurrencyRate.objects.aggregate(latest=Max("updated_at"))["latest"]


def deals_behind(
    segment: Segment,
    *,
    with_references: bool | None = None,
    outcome: str | None = None,
    contact: int | None = None,
    content: bool = False,
) -> QuerySet:
    """The closed deals behind a figure (won and lost, close date in the range, in the segment),
    each with `with_references`, `amount_usd` and `cycle_days`: those with references or
    without, of one outcome, that a contact's activity influenced, or a content use did."""
    deals = closed_deals(segment).annotate(
        with_references=ExpressionWrapper(influenced(segment), output_field=BooleanField()),
        amount_usd=amount_in_usd(),
        cycle_days=_cycle_days(),
    )
    if with_references is not None:
        deals = deals.filter(with_references=with_references)
    if outcome is not None:
        deals = deals.filter(outcome=outcome)
    if contact is not None:
        deals = deals.filter(Exists(influencing_activities(segment).filter(contact_id=contact)))
    if content:
        deals = deals.filter(Exists(influencing_uses()))
    return deals.select_related("owner").order_by("-close_date", "-id")

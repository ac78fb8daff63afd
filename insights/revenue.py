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
row: each row sums deals, never activities. A link (activity, deal) is counted only when it is
the first of its kind for that deal (no earlier link of the same type, or by the same contact),
so the sums stay in the database without DISTINCT on amounts.
"""

from decimal import Decimal

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
    OuterRef,
    Q,
    QuerySet,
    Sum,
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
from references.currency import amount_in_usd
from references.models import CurrencyRate, DealOutcome, ReferenceActivity

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


def _sums(amount: str = "amount_usd", deal: str = "pk") -> dict:
    """The three figures of a group of deals: USD sum, deals converted, deals without a rate."""
    return {
        "usd": Coalesce(Sum(amount), ZERO),
        "deals": Count(deal, filter=Q(**{f"{amount}__isnull": False})),
        "unconverted": Count(deal, filter=Q(**{f"{amount}__isnull": True})),
    }


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


def _first_link_by(segment: Segment, field: str) -> Q:
    """The link is the first (lowest activity id) influencing link of its deal sharing `field`,
    so each (deal, `field`) pair is counted once."""
    earlier = DealLink.objects.filter(
        opportunity_id=OuterRef("opportunity_id"),
        referenceactivity_id__lt=OuterRef("referenceactivity_id"),
        referenceactivity__occurred_on__lte=OuterRef("opportunity__close_date"),
        **{f"referenceactivity__{field}": OuterRef(f"referenceactivity__{field}")},
    )
    if segment.activity_type is not None:
        earlier = earlier.filter(referenceactivity__activity_type_id=segment.activity_type)
    return ~Q(Exists(earlier))


def by_activity_type(segment: Segment) -> list[dict]:
    """Per activity type: {"activity_type", "name", "usd", "deals", "unconverted"}, largest first."""
    rows = (
        _influencing_links(segment)
        .filter(_first_link_by(segment, "activity_type_id"))
        .annotate(amount_usd=amount_in_usd("opportunity"))
        .values(activity_type=F("referenceactivity__activity_type_id"))
        .annotate(name=Max("referenceactivity__activity_type__name"), **_sums(deal="opportunity_id"))
        .order_by("-usd", "name")
    )
    return list(rows)


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
    return (
        closed_deals(segment)
        .filter(Exists(influencing_uses()), outcome=DealOutcome.WON)
        .annotate(amount_usd=amount_in_usd())
        .aggregate(**_sums())
    )


def top_references(segment: Segment, limit: int = TOP_REFERENCES) -> list[dict]:
    """The contacts whose activities influenced the most won revenue: {"contact", "name",
    "account", "usd", "deals", "unconverted"}. A deal served by two references counts for each."""
    rows = (
        _influencing_links(segment)
        .filter(_first_link_by(segment, "contact_id"))
        .annotate(amount_usd=amount_in_usd("opportunity"))
        .values(contact=F("referenceactivity__contact_id"))
        .annotate(
            first_name=Max("referenceactivity__contact__first_name"),
            last_name=Max("referenceactivity__contact__last_name"),
            account=Max("referenceactivity__contact__account__name"),
            **_sums(deal="opportunity_id"),
        )
        .order_by("-usd", "-deals", "contact")[:limit]
    )
    return [row | {"name": f"{row.pop('first_name')} {row.pop('last_name')}"} for row in rows]


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
    rows = (
        influenced_won_deals(segment)
        .annotate(amount_usd=amount_in_usd(), month=TruncMonth("close_date"))
        .values("month")
        .annotate(**_sums())
        .order_by("month")
    )
    return list(rows)


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

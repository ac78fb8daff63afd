"""What the reference program did for revenue, each figure one aggregate query over the facts of
the last refresh (insights.facts: which closed deals references influenced, their US dollars).

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
row: each row sums deals, never activities (the facts keep one row per deal, and mark one row per
deal and type, deal and reference).
"""

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth

from insights.aggregates import Percentile
from insights.facts import closed_facts, influence_facts, influenced, influences_of, usd_sums
from insights.measures import influenced_revenue
from insights.segments import Segment, deal_filter
from references.models import ActivityType, Contact, CurrencyRate, DealOutcome, Opportunity

TOP_REFERENCES = 10


def summary(segment: Segment) -> dict:
    """{"usd", "deals", "unconverted"} of the influenced won deals (insights.measures)."""
    return influenced_revenue(segment)


def _ranked(rows: QuerySet, key: str, limit: int | None = None) -> list[dict]:
    """Per value of `key`: {key, "usd", "deals", "unconverted"}, largest US dollar sum first."""
    ranked = rows.values(key).annotate(**usd_sums()).order_by("-usd", "-deals", key)
    return list(ranked[:limit] if limit is not None else ranked)


def by_activity_type(segment: Segment) -> list[dict]:
    """Per activity type: {"activity_type", "name", "usd", "deals", "unconverted"}, largest first."""
    rows = _ranked(influence_facts(segment).filter(first_of_type=True), "activity_type")
    names = dict(
        ActivityType.objects.filter(pk__in=[row["activity_type"] for row in rows]).values_list("pk", "name")
    )
    # Ties in name order, as a reader would look for them.
    return sorted(
        (row | {"name": names[row["activity_type"]]} for row in rows),
        key=lambda row: (-row["usd"], row["name"]),
    )


def content_row(segment: Segment) -> dict | None:
    """The won deals a content asset was used for on or before their close date; None when an
    activity type is chosen (content uses have no type)."""
    if segment.activity_type is not None:
        return None
    return closed_facts(segment).filter(by_content=True, is_won=True).aggregate(**usd_sums())


def top_references(segment: Segment, limit: int = TOP_REFERENCES) -> list[dict]:
    """The contacts whose activities influenced the most won revenue: {"contact", "name",
    "account", "usd", "deals", "unconverted"}. A deal served by two references counts for each."""
    rows = influence_facts(segment)
    if segment.activity_type is None:  # with a type, (deal, type, contact) is one row already
        rows = rows.filter(first_of_contact=True)
    ranked = _ranked(rows, "contact", limit)
    people = Contact.objects.filter(pk__in=[row["contact"] for row in ranked]).values_list(
        "pk", "first_name", "last_name", "account__name"
    )
    names = {pk: (f"{first} {last}", account) for pk, first, last, account in people}
    return [row | dict(zip(("name", "account"), names[row["contact"]], strict=True)) for row in ranked]


def win_rates(segment: Segment) -> dict[bool, dict]:
    """Closed deals (won and lost, close date in the range) with references (True) and without
    (False): {"won", "lost", "total", "win_rate" (%, None with no deals), "median_days",
    "mean_days"}. The cycle runs from the deal's opening (the day RMS saw it when the CRM gave
    none) to its close date."""
    rows = (
        closed_facts(segment)
        .annotate(with_references=ExpressionWrapper(influenced(segment), output_field=BooleanField()))
        .values("with_references")
        .annotate(
            won=Count("pk", filter=Q(is_won=True)),
            lost=Count("pk", filter=Q(is_won=False)),
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
        closed_facts(segment)
        .filter(influenced(segment), is_won=True)
        .annotate(month=TruncMonth("close_date"))
        .values("month")
        .annotate(**usd_sums())
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
    """The closed deals behind a figure (won and lost, close date in the range, in the segment, as
    of the facts' refresh), each with `with_references`, `amount_usd` and `cycle_days`: those with
    references or without, of one outcome, that a contact's activity influenced, or a content use
    did."""
    deals = Opportunity.objects.filter(
        deal_filter(segment), insight_fact__close_date__range=(segment.start, segment.end)
    ).annotate(
        with_references=ExpressionWrapper(influenced(segment, "insight_fact"), output_field=BooleanField()),
        amount_usd=F("insight_fact__usd"),
        cycle_days=F("insight_fact__cycle_days"),
    )
    if with_references is not None:
        deals = deals.filter(with_references=with_references)
    if outcome is not None:
        deals = deals.filter(insight_fact__is_won=outcome == DealOutcome.WON)
    if contact is not None:
        deals = deals.filter(Exists(influences_of(segment, OuterRef("pk")).filter(contact_id=contact)))
    if content:
        deals = deals.filter(insight_fact__by_content=True)
    # In the facts' order, the one the range was read in (the live date may have moved since).
    return deals.select_related("owner").order_by("-insight_fact__close_date", "-id")

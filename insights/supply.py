"""Supply against demand: where the program has too few references for what sales asks.

Cells are industry × product × region. Over the last N months up to today (the page's date range
does not apply: demand is what is asked now, supply is who is free now):

- **demand** = requests created in the window, in their deal's prospect industry, products and
  region, plus open deals created or opened in the window. A request for an open deal counts in
  both (it asks twice: once as a request, once as a deal that will want references). A deal (or a
  request's deal) with several products counts once in each product's cell; one with no product
  counts in no cell and is counted apart, as are campaign requests (they have no deal).
- **supply** = references free now: contacts the search may offer (`Contact.objects.offerable()`:
  not opted out or self-paused, at a usable account) who are active, not resting, with a slot
  left under their limits (their `ContactUsage.slots_left` > 0, or no usage row: nothing used),
  in their account's industry, products and region.

The segment filters apply as `insights.segments` says (team: requests its members made, deals
they own, reference accounts they own). An activity type narrows requests to that type and
contacts to those willing to do it; open deals name no activity type, so they drop out of demand.

Five grouped queries whatever the data: per cell and per (industry, region) for requests and for
deals, and one statement for the references free, which finds them once, per account (with its
industry and region), and counts both groupings from that. The totals are counted without the
product join, so a request, deal or contact counts once there.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from customers.giveback import window_start
from insights.segments import Segment, contact_filter, deal_filter, request_filter
from references.models import Account, Contact, DealOutcome, Industry, Opportunity, ReferenceStatus, Region
from requests_app.models import ReferenceRequest

DEFAULT_MONTHS = 6
MAX_MONTHS = 24
GAP_ROWS = 25

Key = tuple[int, int, int]  # industry, product, region ids


class _Balance:
    """Demand (requests and open deals) against supply (references free), for a row of counts."""

    requests: int
    deals: int
    supply: int

    @property
    def demand(self) -> int:
        return self.requests + self.deals

    @property
    def shortfall(self) -> int:
        """Demand beyond supply (negative: more references free than asked for)."""
        return self.demand - self.supply


@dataclass(frozen=True)
class Cell(_Balance):
    """One industry × product × region cell with demand in it."""

    industry: int
    product: int
    region: int
    label: str  # "Banking · Analytics Cloud · EMEA"
    requests: int
    deals: int
    supply: int


@dataclass(frozen=True)
class Total(_Balance):
    """Demand and supply of one industry or one region (each request, deal, contact once)."""

    id: int
    name: str
    requests: int = 0
    deals: int = 0
    supply: int = 0


@dataclass
class SupplyDemand(_Balance):
    months: int
    since: date
    today: date
    gaps: list[Cell] = field(default_factory=list)  # the top GAP_ROWS cells with demand
    cells_with_demand: int = 0
    cells_short: int = 0  # cells where demand exceeds supply
    requests: int = 0
    deals: int = 0
    supply: int = 0
    campaign_requests: int = 0  # left out: no deal, so no segment
    without_product: int = 0  # requests and deals in the totals but in no cell
    by_industry: list[Total] = field(default_factory=list)
    by_region: list[Total] = field(default_factory=list)

    def window(self, segment: Segment) -> Segment:
        """The segment over this page's window (for links to the rows behind a figure)."""
        return replace(segment, start=self.since, end=self.today)


# --- the rows counted ------------------------------------------------------------------------


def demand_requests(segment: Segment, since: date) -> QuerySet[ReferenceRequest]:
    """Requests of the segment created since `since` (campaign requests too: callers group them
    apart, by their missing deal)."""
    start, _ = replace(segment, start=since).moments()
    return ReferenceRequest.objects.filter(request_filter(segment), created_at__gte=start)


def demand_deals(segment: Segment, since: date) -> QuerySet[Opportunity]:
    """Open deals of the segment created in RMS or opened in the CRM since `since`; none under an
    activity-type filter (a deal names no activity type)."""
    if segment.activity_type is not None:
        return Opportunity.objects.none()
    start, _ = replace(segment, start=since).moments()
    return Opportunity.objects.filter(
        deal_filter(segment),
        Q(opened_on__gte=since) | Q(created_at__gte=start),
        outcome=DealOutcome.OPEN,
    )


def free_references(segment: Segment) -> QuerySet[Contact]:
    """Contacts that may be offered, active (not resting) and with a free slot now."""
    free = Q(usage__isnull=True) | Q(usage__slots_left__gt=0)
    return Contact.objects.offerable().filter(free, contact_filter(segment), status=ReferenceStatus.ACTIVE)


# --- the grouped counts ----------------------------------------------------------------------


def _grouped(rows: QuerySet, deal: str, *, product: bool, narrow_to: int | None = None) -> QuerySet:
    """`rows` counted per (industry, [product,] region) of the prospect or account at `deal`."""
    p = f"{deal}__" if deal else ""
    # Named apart from the models' own fields (a deal has `industry` and `products`).
    keys = {
        "in_industry": F(f"{p}industry_id"),
        "industry_name": F(f"{p}industry__name"),
        "in_region": F(f"{p}country__region_id"),
        "region_name": F(f"{p}country__region__name"),
    }
    if product:
        keys |= {"in_product": F(f"{p}products"), "product_name": F(f"{p}products__name")}
    grouped = rows.order_by().values(**keys).annotate(n=Count("pk"))
    return grouped.filter(in_product=narrow_to) if product and narrow_to is not None else grouped


def _key(row: dict) -> Key:
    return (row["in_industry"], row["in_product"], row["in_region"])


def _cells(segment: Segment, since: date, supply: dict[Key, int]) -> tuple[list[Cell], int]:
    """The cells with demand, and how many requests and deals named no product (no cell)."""
    sides = {
        "requests": _grouped(
            demand_requests(segment, since).filter(opportunity__isnull=False),
            "opportunity",
            product=True,
            narrow_to=segment.product,
        ),
        "deals": _grouped(demand_deals(segment, since), "", product=True, narrow_to=segment.product),
    }
    counts: dict[Key, dict[str, int]] = {}
    labels: dict[Key, str] = {}
    without_product = 0
    for side, rows in sides.items():
        for row in rows:
            if row["in_product"] is None:
                without_product += row["n"]
                continue
            key = _key(row)
            counts.setdefault(key, {})[side] = row["n"]
            labels[key] = f"{row['industry_name']} · {row['product_name']} · {row['region_name']}"
    cells = [
        Cell(*key, labels[key], side.get("requests", 0), side.get("deals", 0), supply.get(key, 0))
        for key, side in counts.items()
    ]
    return cells, without_product


def _totals(segment: Segment, since: date, result: SupplyDemand, supply: list[dict]) -> None:
    """Per industry and per region, each row once; the campaign requests (no deal) counted apart."""
    industries: dict[int, dict] = {}
    regions: dict[int, dict] = {}
    sides = {
        "requests": _grouped(demand_requests(segment, since), "opportunity", product=False),
        "deals": _grouped(demand_deals(segment, since), "", product=False),
        "supply": supply,
    }
    for side, rows in sides.items():
        for row in rows:
            if row["in_industry"] is None:  # a campaign request
                result.campaign_requests += row["n"]
                continue
            for totals, key in ((industries, "industry"), (regions, "region")):
                entry = totals.setdefault(
                    row[f"in_{key}"], {"id": row[f"in_{key}"], "name": row[f"{key}_name"]}
                )
                entry[side] = entry.get(side, 0) + row["n"]
            setattr(result, side, getattr(result, side) + row["n"])
    result.by_industry = _ranked([Total(**entry) for entry in industries.values()])
    result.by_region = _ranked([Total(**entry) for entry in regions.values()])


def _free_counts(segment: Segment) -> tuple[dict[Key, int], list[dict]]:
    """The references free, in one statement: per cell (a contact once in each of its account's
    products; narrowed to the segment's product) and per (industry, region) (each contact once,
    rows shaped as `_grouped`'s). The free contacts are found once, counted per account with its
    industry and region (a CTE), and both groupings are sums over those accounts."""
    per_account = (
        free_references(segment)
        .order_by()
        .values(
            in_account=F("account_id"),
            in_industry=F("account__industry_id"),
            in_region=F("account__country__region_id"),
        )
        .annotate(n=Count("pk"))
    )
    inner, params = per_account.query.sql_with_params()
    products = Account.products.through._meta.db_table
    industry, region = Industry._meta.db_table, Region._meta.db_table
    narrow = ""
    if segment.product is not None:
        narrow, params = "WHERE ap.product_id = %s", (*params, segment.product)
    # One row per (industry, region) with product NULL, then one per cell; portable SQL (no
    # GROUPING SETS on SQLite). SUM of counts is a decimal on PostgreSQL: read back as int.
    sql = f"""
        WITH per_account AS ({inner})
        SELECT pa.in_industry, i.name, pa.in_region, r.name, NULL, SUM(pa.n) FROM per_account pa
        INNER JOIN {industry} i ON i.id = pa.in_industry INNER JOIN {region} r ON r.id = pa.in_region
        GROUP BY pa.in_industry, i.name, pa.in_region, r.name
        UNION ALL
        SELECT pa.in_industry, NULL, pa.in_region, NULL, ap.product_id, SUM(pa.n) FROM per_account pa
        INNER JOIN {products} ap ON ap.account_id = pa.in_account {narrow}
        GROUP BY pa.in_industry, pa.in_region, ap.product_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    per_cell: dict[Key, int] = {}
    per_place: list[dict] = []
    names = ("in_industry", "industry_name", "in_region", "region_name")
    for *place, product, n in rows:
        if product is None:
            per_place.append(dict(zip(names, place, strict=True)) | {"n": int(n)})
        else:
            per_cell[(place[0], product, place[2])] = int(n)
    return per_cell, per_place


def _ranked(rows: list[Total]) -> list[Total]:
    """Largest shortfall first, then largest demand, then by name."""
    return sorted(rows, key=lambda row: (-row.shortfall, -row.demand, row.name))


def supply_and_demand(
    segment: Segment, months: int = DEFAULT_MONTHS, today: date | None = None
) -> SupplyDemand:
    """The gap table, the totals and the headline counts for `segment` over the last `months`
    months up to `today` (the segment's own dates are not read)."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"Supply and demand read 1 to {MAX_MONTHS} months.")
    today = today or timezone.localdate()
    since = window_start(months, today)
    result = SupplyDemand(months=months, since=since, today=today)
    per_cell, per_place = _free_counts(segment)
    cells, result.without_product = _cells(segment, since, per_cell)
    with_demand = [cell for cell in cells if cell.demand > 0]
    result.cells_with_demand = len(with_demand)
    result.cells_short = sum(1 for cell in with_demand if cell.shortfall > 0)
    result.gaps = sorted(with_demand, key=lambda cell: (-cell.shortfall, -cell.demand, cell.label))[:GAP_ROWS]
    _totals(segment, since, result, per_place)
    return result

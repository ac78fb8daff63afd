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

Three statements whatever the data, one for each side: the side's rows are counted once per deal
or account with its industry and country (a CTE), and both groupings (per cell, through the deal's
or account's products, and per (industry, region)) are sums over those. The totals are counted
without the product join, so a request, deal or contact counts once there.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value
from django.utils import timezone

from customers.giveback import window_start
from insights.segments import Segment, contact_filter, deal_filter, request_filter
from references.models import (
    Account,
    Contact,
    Country,
    DealOutcome,
    Industry,
    Opportunity,
    Product,
    ReferenceStatus,
    Region,
)
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
    """Contacts that may be offered, active (not resting) and with a free slot now, willing to do
    the segment's activity type (`contact_filter`)."""
    free = Q(usage__isnull=True) | Q(usage__slots_left__gt=0)
    return Contact.objects.offerable().filter(free, contact_filter(segment), status=ReferenceStatus.ACTIVE)


# --- the grouped counts ----------------------------------------------------------------------


@dataclass
class _Side:
    """One side's counts: per cell (with the rows whose deal or account names no product, apart)
    and per (industry, region) (each row once; industry None: a request without a deal)."""

    cells: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)


_CELL = ("in_industry", "industry_name", "in_region", "region_name", "in_product", "product_name", "n")


def _counted(rows: QuerySet, path: str, model: type, narrow_to: int | None = None) -> _Side:
    """`rows` counted per cell and per (industry, region) of the deal or account (`model`) at
    `path`, in one statement: the rows are counted once per deal or account with its industry and
    country (a CTE), and both groupings are sums over those (the cells through `model`'s products,
    narrowed to `narrow_to`); names are joined to the few grouped rows last. Portable SQL (no
    GROUPING SETS on SQLite)."""
    if rows.query.is_empty():
        return _Side()
    p = f"{path}__" if path else ""
    per_owner = rows.order_by().values(
        in_owner=F(f"{p}pk"), in_industry=F(f"{p}industry_id"), in_country=F(f"{p}country_id")
    )
    # Rows that are the deals themselves are one each: no grouping to do.
    per_owner = per_owner.annotate(n=Count("pk")) if path else per_owner.annotate(n=Value(1))
    inner, params = per_owner.query.sql_with_params()
    through = model.products.through._meta
    owner = through.get_field(model._meta.model_name).column
    tables = {
        name: table._meta.db_table
        for name, table in (("i", Industry), ("c", Country), ("r", Region), ("p", Product))
    }
    narrow = ""
    if narrow_to is not None:
        narrow, params = "AND t.product_id = %s", (*params, narrow_to)
    names = f"""LEFT JOIN {tables["i"]} i ON i.id = g.in_industry
        LEFT JOIN {tables["c"]} c ON c.id = g.in_country LEFT JOIN {tables["r"]} r ON r.id = c.region_id"""
    # PostgreSQL sums counts as decimals: read back as int.
    sql = f"""
        WITH per_owner AS ({inner})
        SELECT g.in_industry, i.name, c.region_id, r.name, NULL, NULL, NULL, SUM(g.n) FROM (
            SELECT in_industry, in_country, SUM(n) AS n FROM per_owner GROUP BY in_industry, in_country
        ) g {names}
        GROUP BY g.in_industry, i.name, c.region_id, r.name
        UNION ALL
        SELECT g.in_industry, i.name, c.region_id, r.name, 1, g.product_id, p.name, SUM(g.n) FROM (
            SELECT o.in_industry, o.in_country, t.product_id, SUM(o.n) AS n FROM per_owner o
            LEFT JOIN {through.db_table} t ON t.{owner} = o.in_owner
            WHERE o.in_owner IS NOT NULL {narrow}
            GROUP BY o.in_industry, o.in_country, t.product_id
        ) g {names} LEFT JOIN {tables["p"]} p ON p.id = g.product_id
        GROUP BY g.in_industry, i.name, c.region_id, r.name, g.product_id, p.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    side = _Side()
    for *place, cell, product, product_name, n in found:
        row = dict(zip(_CELL, (*place, product, product_name, int(n)), strict=True))
        (side.places if cell is None else side.cells).append(row)
    return side


def _key(row: dict) -> Key:
    return (row["in_industry"], row["in_product"], row["in_region"])


def _sides(segment: Segment, since: date) -> dict[str, _Side]:
    """Requests, open deals and references free, each side counted in one statement."""
    narrow = segment.product
    return {
        "requests": _counted(demand_requests(segment, since), "opportunity", Opportunity, narrow),
        "deals": _counted(demand_deals(segment, since), "", Opportunity, narrow),
        "supply": _counted(free_references(segment), "account", Account, narrow),
    }


def _cells(sides: dict[str, _Side]) -> tuple[list[Cell], int]:
    """The cells with demand, and how many requests and deals named no product (no cell)."""
    counts: dict[Key, dict[str, int]] = {}
    labels: dict[Key, str] = {}
    without_product = 0
    for side in ("requests", "deals"):
        for row in sides[side].cells:
            if row["in_product"] is None:
                without_product += row["n"]
                continue
            key = _key(row)
            counts.setdefault(key, {})[side] = row["n"]
            labels[key] = f"{row['industry_name']} · {row['product_name']} · {row['region_name']}"
    supply = {_key(row): row["n"] for row in sides["supply"].cells if _key(row) in counts}
    cells = [
        Cell(*key, labels[key], side.get("requests", 0), side.get("deals", 0), supply.get(key, 0))
        for key, side in counts.items()
    ]
    return cells, without_product


def _totals(sides: dict[str, _Side], result: SupplyDemand) -> None:
    """Per industry and per region, each row once; the campaign requests (no deal) counted apart."""
    industries: dict[int, dict] = {}
    regions: dict[int, dict] = {}
    for side, counted in sides.items():
        for row in counted.places:
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
    sides = _sides(segment, since)
    cells, result.without_product = _cells(sides)
    with_demand = [cell for cell in cells if cell.demand > 0]
    result.cells_with_demand = len(with_demand)
    result.cells_short = sum(1 for cell in with_demand if cell.shortfall > 0)
    result.gaps = sorted(with_demand, key=lambda cell: (-cell.shortfall, -cell.demand, cell.label))[:GAP_ROWS]
    _totals(sides, result)
    return result

"""The "Supply and demand" insights page: where references fall short of what sales asks, ranked,
each segment linking to the nominations queue filtered to it ("recruit here").

Its own `months` parameter (1–24, default 6) sets the window; the page's date range does not
apply (insights/supply.py says why and how each side is counted).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from core.dates import day_text
from core.roles import Role, has_role
from insights.segments import Segment
from insights.supply import DEFAULT_MONTHS, GAP_ROWS, MAX_MONTHS, SupplyDemand, Total, supply_and_demand
from portals.insights.sections import Section, register
from portals.insights.tables import COUNT, TEXT, Chart, Column, Headline, Row, SectionView, Table

FIGURES = (
    Column("Requests", COUNT),
    Column("Open deals", COUNT),
    Column("Demand", COUNT),
    Column("References free", COUNT),
    Column("Shortfall", COUNT),
)
DEMAND_AGAINST_SUPPLY = Chart(kind="bar", value_columns=(3, 4))


class SupplyOptionsForm(forms.Form):
    """The page's window in months. A bad value is an error beside the field (the page answers
    400 and counts the default window meanwhile)."""

    months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        label="Months",
        help_text=f"The last 1–{MAX_MONTHS} months up to today (the date range does not apply here).",
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_MONTHS}),
        error_messages={"invalid": f"Give a whole number of months, 1 to {MAX_MONTHS}."},
    )

    def options(self) -> dict:
        months = self.cleaned_data.get("months") if self.is_bound and self.is_valid() else None
        return {"months": months or DEFAULT_MONTHS}


def recruit_link(segment: Segment, **taxonomies: int) -> str:
    """The managers' nominations queue filtered to the segment's industry, product and region,
    with `taxonomies` (a row's own) over them."""
    chosen = {name: getattr(segment, name) for name in ("industry", "product", "region")} | taxonomies
    query = urlencode({name: value for name, value in chosen.items() if value is not None})
    return f"{reverse('manage:nominations')}?{query}" if query else reverse("manage:nominations")


def _counted(number: int, thing: str) -> str:
    """ "1 request", "2 requests" ("request or open deal" → "requests or open deals")."""
    if number == 1:
        return f"1 {thing}"
    return f"{number} " + " or ".join(f"{word}s" for word in thing.split(" or "))


def _drill(name: str, query: str) -> str:
    return f"{reverse(name)}?{query}"


def _gap_table(result: SupplyDemand, link: Callable[..., str]) -> Table:
    rows = tuple(
        Row(
            (cell.label, cell.requests, cell.deals, cell.demand, cell.supply, cell.shortfall),
            link=link(industry=cell.industry, product=cell.product, region=cell.region),
        )
        for cell in result.gaps
    )
    return Table(
        key="supply-gaps",
        title=f"Where references fall short (top {GAP_ROWS}): recruit here",
        columns=(Column("Industry · product · region", TEXT), *FIGURES),
        rows=rows,
        chart=Chart(kind="bar", value_columns=(3, 4), horizontal=True),
        note=(
            "Cells of the prospects' industry × product × region with demand, the largest shortfall "
            "(demand less references free) first, then the largest demand. Demand: requests created "
            "in the window plus open deals created or opened in it; a deal with several products "
            "counts in each product's cell. References free: active references that may be offered "
            "(not opted out or paused, at a usable account) with a slot left under their limits now, "
            "by their account's industry, products and region. Each segment opens the nominations "
            "queue filtered to it (for reference managers)."
        ),
        empty="No demand in this window.",
    )


def _totals_table(key: str, title: str, label: str, totals: list[Total], link: Callable[..., str]) -> Table:
    def cells(total) -> tuple:
        return (total.requests, total.deals, total.demand, total.supply, total.shortfall)

    overall = Total(
        0,
        "All",
        sum(t.requests for t in totals),
        sum(t.deals for t in totals),
        sum(t.supply for t in totals),
    )
    return Table(
        key=key,
        title=title,
        columns=(Column(label, TEXT), *FIGURES),
        rows=tuple(
            Row((total.name, *cells(total)), link=link(**{label.lower(): total.id})) for total in totals
        ),
        chart=DEMAND_AGAINST_SUPPLY,
        footer=Row(("All", *cells(overall))) if totals else None,
        note=(
            f"Each request, open deal and reference counted once, in its {label.lower()} (products "
            "aside: deals without a product count here but in no cell above). Each row opens the "
            "nominations queue filtered to it (for reference managers)."
        ),
        empty="No demand or supply in this window.",
    )


def _headlines(result: SupplyDemand, segment: Segment) -> list[Headline]:
    window = result.window(segment)
    campaigns = result.campaign_requests
    apart = f"; {_counted(campaigns, 'campaign request')} counted apart" if campaigns else ""
    return [
        Headline(
            "Cells short of references",
            result.cells_short,
            link="#figure-supply-gaps",
            detail=f"of {result.cells_with_demand} cells with demand",
        ),
        Headline(
            "Demand",
            result.demand,
            link=_drill("insights:requests", window.query()),
            detail=f"{_counted(result.requests, 'request')} and {_counted(result.deals, 'open deal')}{apart}",
        ),
        Headline(
            "References free now",
            result.supply,
            link=_drill("insights:contacts", window.query(which="free")),
            detail="active, offerable, with a slot left",
        ),
    ]


def build(segment: Segment, user, months: int = DEFAULT_MONTHS) -> SectionView:
    result = supply_and_demand(segment, months)
    # The queue is the managers' (an executive reads the figures without a link they can't open).
    recruits = has_role(user, Role.MANAGER)

    def link(**taxonomies: int) -> str:
        return recruit_link(segment, **taxonomies) if recruits else ""

    no_product = (
        f" {_counted(result.without_product, 'request or open deal')} named no product: counted in the "
        "totals by industry and region, in no cell."
        if result.without_product
        else ""
    )
    return SectionView(
        headlines=_headlines(result, segment),
        tables=[
            _gap_table(result, link),
            _totals_table("supply-by-industry", "By industry", "Industry", result.by_industry, link),
            _totals_table("supply-by-region", "By region", "Region", result.by_region, link),
        ],
        note=(
            f"Counted over the last {result.months} months up to today ({day_text(result.since)} – "
            f"{day_text(result.today)}): the date range above does not apply to this page. Campaign "
            "requests have no deal, so no segment: they are counted apart. With an activity type "
            "chosen, demand is the requests of that type (deals name none) and supply the references "
            f"willing to do it.{no_product}"
        ),
    )


register(
    Section(
        slug="supply",
        title="Supply and demand",
        build=build,
        summary="Where references fall short of what sales asks for: recruit there.",
        options=SupplyOptionsForm,
    )
)

"""The "Revenue" insights page (the first tab, at /insights/): influenced revenue in total, per
activity type, per reference and per month, and the win rate and sales cycle of deals with
references against those without. Every row opens the deals behind it (`insights:deals`)."""

from calendar import monthrange
from datetime import date

from django.conf import settings
from django.urls import reverse

from core.dates import moment_text
from insights import facts, revenue
from insights.segments import Segment
from portals.insights.sections import Section, register
from portals.insights.tables import (
    COUNT,
    DAYS,
    MONEY,
    PERCENT,
    Chart,
    Column,
    Headline,
    Row,
    SectionView,
    Table,
)
from references.models import DealOutcome

DEALS_COLUMNS = (
    Column("Influenced revenue", MONEY),
    Column("Deals won", COUNT),
    Column("Left out (no rate)", COUNT),
)
CONTENT_LABEL = "Content (case studies, quotes…)"


def deals_link(segment: Segment, **params: object) -> str:
    """The deals behind a figure: the filtered list, with the page's segment."""
    return f"{reverse('insights:deals')}?{segment.query(**params)}"


def _won_link(segment: Segment, **params: object) -> str:
    return deals_link(segment, influenced="yes", outcome=DealOutcome.WON, **params)


def rates_note() -> str:
    updated = revenue.rates_updated()
    when = f"last updated {moment_text(updated)}" if updated else "none kept yet, so only US dollars count"
    return (
        f"Amounts are in US dollars, converted at the rates kept in RMS, {when}; a deal in a "
        "currency without a rate is left out of the sums and counted apart."
    )


def facts_note() -> str:
    """As of when the revenue figures are (insights.facts: rebuilt by beat, not live)."""
    latest = facts.as_of()
    every = settings.INSIGHT_FACTS_SECONDS // 60
    if latest is None:
        return f"Revenue figures are not computed yet: they appear at the first refresh (every {every} min)."
    return f"Revenue figures as of {moment_text(latest.refreshed_at)}, refreshed every {every} minutes."


def _sums(row: dict) -> tuple:
    return (row["usd"], row["deals"], row["unconverted"])


def by_type_table(segment: Segment, total: dict, money_note: str) -> Table:
    rows = [
        Row((row["name"], *_sums(row)), _won_link(segment, activity_type=row["activity_type"]))
        for row in revenue.by_activity_type(segment)
    ]
    content = revenue.content_row(segment)
    if content is not None and (content["deals"] or content["unconverted"]):
        rows.append(Row((CONTENT_LABEL, *_sums(content)), _won_link(segment, content="yes")))
    return Table(
        key="by-activity-type",
        title="Influenced revenue by activity type",
        columns=(Column("Activity type"), *DEALS_COLUMNS),
        rows=tuple(rows),
        chart=Chart("bar", value_columns=(1,)),
        footer=Row(("All influenced deals", *_sums(total)), _won_link(segment)),
        note=(
            "Won deals with a close date in the range, counted for an activity type when a reference "
            "activity of that type for the deal happened on or before its close date (content: an asset "
            "used for it by then). A deal influenced by two types is in both rows, so the rows overlap; "
            f"the total counts each deal once, however many activities it had. {money_note}"
        ),
    )


def top_references_table(segment: Segment, money_note: str) -> Table:
    rows = [
        Row(
            (row["name"], row["account"], *_sums(row)),
            deals_link(segment, outcome=DealOutcome.WON, contact=row["contact"]),
        )
        for row in revenue.top_references(segment)
    ]
    return Table(
        key="top-references",
        title=f"Top {revenue.TOP_REFERENCES} references by influenced revenue",
        columns=(Column("Reference"), Column("Account"), *DEALS_COLUMNS),
        rows=tuple(rows),
        chart=Chart("bar", value_columns=(2,), horizontal=True),
        note=(
            "Per reference: the won deals in the range that one of their activities served on or "
            "before the close date. A deal two references served counts for each of them, so the rows "
            f"add up to more than the total. {money_note}"
        ),
    )


def with_without_table(segment: Segment) -> Table:
    rates = revenue.win_rates(segment)
    rows = [
        Row(
            (
                label,
                rates[side]["won"],
                rates[side]["lost"],
                rates[side]["total"],
                rates[side]["win_rate"],
                rates[side]["median_days"],
                rates[side]["mean_days"],
            ),
            deals_link(segment, influenced=flag),
        )
        for label, side, flag in (("With references", True, "yes"), ("Without references", False, "no"))
    ]
    return Table(
        key="with-without",
        title="Win rate and sales cycle, with references and without",
        columns=(
            Column("Deals"),
            Column("Won", COUNT),
            Column("Lost", COUNT),
            Column("Closed", COUNT),
            Column("Win rate", PERCENT),
            Column("Median cycle", DAYS),
            Column("Mean cycle", DAYS),
        ),
        rows=tuple(rows),
        chart=Chart("bar", value_columns=(4, 5)),
        note=(
            "Deals won or lost with a close date in the range. With references: a reference activity "
            "(or, without an activity-type filter, a content use) for the deal on or before its close "
            "date. Win rate: won of closed. Sales cycle: days from the deal's opening in the CRM (the "
            "day RMS first saw it when the CRM gave none) to its close date."
        ),
    )


def _month_range(segment: Segment, month: date) -> tuple[date, date]:
    last = month.replace(day=monthrange(month.year, month.month)[1])
    return max(month, segment.start), min(last, segment.end)


def by_month_table(segment: Segment, money_note: str) -> Table:
    rows = []
    for row in revenue.by_month(segment):
        start, end = _month_range(segment, row["month"])
        link = _won_link(segment, start=start.isoformat(), end=end.isoformat())
        rows.append(Row((row["month"].strftime("%b %Y"), *_sums(row)), link))
    return Table(
        key="by-month",
        title="Influenced revenue per close month",
        columns=(Column("Month"), *DEALS_COLUMNS),
        rows=tuple(rows),
        chart=Chart("line", value_columns=(1,)),
        note=f"Influenced won deals by the month of their close date. {money_note}",
    )


def _deals_detail(total: dict) -> str:
    left_out = f"; {total['unconverted']:,} without a currency rate left out" if total["unconverted"] else ""
    return f"{total['deals']:,} won deals{left_out}"


def build(segment: Segment, user) -> SectionView:
    total = revenue.summary(segment)
    money_note = rates_note()
    with_without = with_without_table(segment)
    with_refs = with_without.rows[0].cells
    without = with_without.rows[1].cells
    headlines = [
        Headline(
            "Influenced revenue",
            total["usd"],
            MONEY,
            _won_link(segment),
            _deals_detail(total),
        ),
        Headline(
            "Win rate with references",
            with_refs[4],
            PERCENT,
            deals_link(segment, influenced="yes"),
            f"{with_refs[3]:,} closed deals; without references "
            + (f"{without[4]:.1f} % of {without[3]:,}" if without[4] is not None else "none closed"),
        ),
        Headline(
            "Median sales cycle with references",
            with_refs[5],
            DAYS,
            deals_link(segment, influenced="yes"),
            "without: " + (f"{without[5]:.1f} days" if without[5] is not None else "no deals"),
        ),
    ]
    tables = [
        by_type_table(segment, total, money_note),
        top_references_table(segment, money_note),
        with_without,
        by_month_table(segment, money_note),
    ]
    return SectionView(headlines=headlines, tables=tables, note=facts_note(), recompute=True)


register(
    Section(
        slug="revenue",
        title="Revenue",
        build=build,
        summary="What references did for revenue: the won deals they influenced, and how deals with "
        "references fare against those without.",
    )
)
